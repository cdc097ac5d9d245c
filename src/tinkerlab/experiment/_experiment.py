"""An experiment: one knob, its values, a prediction, and honest numbers for each value.

:func:`tinker` is the whole loop, and :func:`resume` finishes an interrupted one:

1. load the data and make the Recipe (the knob's untouched value is the recipe's);
2. hold out the test split exactly as ``tinkerlab run`` does, and never touch it: picking
   a value by its test score would leak the test set into the choice;
3. draw the **paired folds** once (repeated k-fold on the training split, seeded) and plan
   one point per value (:func:`~tinkerlab.experiment._knobs.plan_sweep`), all checked
   before anything runs or is recorded;
4. fit every point on every fold on the engine; each point is handed to the store (the
   journal) the moment its last fold finishes (:mod:`~tinkerlab.experiment._sweep`);
5. find the best value, test its lead over the default with the corrected resampled
   t-test, classify the curve's shape, score the prediction
   (:mod:`~tinkerlab.experiment._summary`); while the shape is too noisy to tell and the
   repeats were not fixed, add repeats in a group sequential design
   (:mod:`~tinkerlab.experiment._sequential`).

The rooms: :mod:`._result` (the :class:`Experiment` and its points), :mod:`._sweep` (the
loop), :mod:`._summary`, :mod:`._sequential`, :mod:`._predict` (checking a prediction),
:mod:`._records` (what the store keeps, and its interface).

The experiment package does not import the journal (it sits below it in the layers): a
``store`` is anything with the :class:`ExperimentStore` methods, which
:class:`tinkerlab.journal.Journal` has. ``tinkerlab.tinker`` opens the journal and passes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import InputError, RecipeError
from tinkerlab.experiment._engine import Engine
from tinkerlab.experiment._knobs import Mode, Scale
from tinkerlab.experiment._predict import check_prediction
from tinkerlab.experiment._records import (
    STATUSES,
    Ask,
    Detect,
    ExperimentStore,
    SweepInterrupted,
    SweepProgress,
)
from tinkerlab.experiment._result import Experiment, PointResult, Summary, prediction_text
from tinkerlab.experiment._shape import Prediction
from tinkerlab.experiment._summary import summarize
from tinkerlab.experiment._sweep import (
    DEFAULT_METRIC,
    DEFAULT_REPEATS,
    SLOW_MODELS,
    _metric,
    fast_path_of,
    run_sweep,
)

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset

__all__ = [
    "DEFAULT_METRIC",
    "DEFAULT_REPEATS",
    "SLOW_MODELS",
    "STATUSES",
    "Ask",
    "Detect",
    "Experiment",
    "ExperimentStore",
    "PointResult",
    "Summary",
    "SweepInterrupted",
    "SweepProgress",
    "_metric",
    "check_prediction",
    "fast_path_of",
    "prediction_text",
    "resume",
    "summarize",
    "tinker",
]


def tinker(
    dataset: str | Path | pd.DataFrame | Dataset,
    knob: str,
    values: Iterable[Any] | str | None = None,
    *,
    span: str | tuple[float, float] | None = None,
    steps: int | None = None,
    scale: Scale | None = None,
    mode: Mode = "drop-one",
    model: str | None = None,
    params: Mapping[str, Any] | None = None,
    impl: str = "sklearn",
    metric: str | None = None,
    repeats: int | None = None,
    cv: int = 5,
    test_size: float = 0.2,
    seed: int = 0,
    predict: str | None = None,
    predict_best: Any = None,
    predict_score: float | None = None,
    cluster: str | None = None,
    n_jobs: int | None = None,
    engine: Engine | None = None,
    store: ExperimentStore | None = None,
    progress: SweepProgress | None = None,
    ask: Ask | None = None,
    detect: Detect | None = None,
    target: str | None = None,
    task: str | None = None,
    drop: Iterable[str] = (),
    fast: bool = True,
    text_features: str = "tfidf",
) -> Experiment:
    """Turn one knob over a range of values and see what happens, with honest noise.

    Parameters
    ----------
    dataset : str, path, DataFrame or Dataset
        A built-in name (``"titanic"``), a file, or a table.
    knob : str
        A parameter of the model (``"max_depth"``) or a special knob: ``train_size``,
        ``features``, ``model``, ``seed``, ``label_noise``, ``feature_noise``,
        ``scaling``, ``test_size`` (see ``docs/tinker.md``).
    values : iterable or str, optional
        The values (``range(1, 21)``, ``[0.1, 1, 10]``, ``"1,3,5"``); a string ``"a:b"``
        is a range. Default: the knob's default sweep.
    span, steps, scale
        A range ``"a:b"`` (or ``(a, b)``), how many values, ``"linear"`` or ``"log"``.
    mode : {"drop-one", "add-one"}
        For ``features``: leave one column out, or use one column alone.
    model, params, impl
        The model, its other knob values, ``"sklearn"`` or ``"scratch"``.
    metric : str, optional
        Default: accuracy (classification) or r2 (regression).
    repeats : int, optional
        Repeats of the ``cv``-fold split (default 2; 1 for slow models on big tables).
    cv, test_size, seed
        Folds, the held-out share (never scored here), the seed of everything.
    predict : {"up", "down", "peak", "valley", "flat", "differs"}, optional
        What you expect the validation score to do as the knob grows.
    predict_best, predict_score : optional
        The value you expect to be best, and the best score you expect.
    cluster, n_jobs, engine
        A Dask scheduler address (or ``TINKERLAB_DASK``); local processes; or an engine.
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
    fast : bool, default=True
        Use the knob's fast exact path when it has one (``n_estimators`` of a forest,
        ``n_neighbors``, ``max_iter`` of gradient boosting): one fit per fold serves every
        value, with the same scores. ``False`` fits each value separately, to compare.

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
    from tinkerlab.data import Dataset, load
    from tinkerlab.recipe import make_recipe

    if isinstance(dataset, Dataset):
        if target is not None or task is not None or tuple(drop):
            raise InputError(
                "target, task and drop only apply when loading; this dataset is already "
                "loaded. Fix: pass the name or file instead."
            )
        data = dataset
    else:
        data = load(dataset, target=target, task=task, drop=tuple(drop))
    if impl not in ("sklearn", "scratch"):
        raise RecipeError(f"impl must be 'sklearn' or 'scratch'. Got {impl!r} instead.")
    recipe = make_recipe(
        data,
        model=model,
        params=dict(params or {}),
        impl=impl,  # type: ignore[arg-type]
        cv_folds=cv,
        test_size=test_size,
        seed=seed,
        text_features=text_features,
    )
    if isinstance(values, str):
        if ":" in values and span is None:
            values, span = None, values
        else:
            values = [v for v in values.split(",") if v.strip()]
    prediction: Prediction | None = Prediction(predict, predict_best, predict_score)
    if prediction is not None and prediction.is_empty():
        prediction = None
    return run_sweep(
        recipe,
        data,
        knob,
        values=values,
        span=span,
        steps=steps,
        scale=scale,
        mode=mode,
        metric=metric,
        repeats=repeats,
        prediction=prediction,
        engine=engine,
        cluster=cluster,
        n_jobs=n_jobs,
        store=store,
        progress=progress,
        ask=ask,
        detect=detect,
        fast=fast,
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
    return run_sweep(
        recipe,
        data,
        spec["knob"],
        adaptive=bool(spec.get("adaptive", False)),
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
