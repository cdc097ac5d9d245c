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

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import UsageError
from tinkerlab.experiment._engine import Engine
from tinkerlab.experiment._knobs import knob_kind
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
from tinkerlab.options import Settings, Span, name_of, settle, spell

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
    "tinker_settled",
]


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
    if settings.knob in recipe.params and settings.knob in (settings.params or {}):
        raise UsageError(
            f"'{settings.knob}' is the knob being turned, so it cannot also be fixed with "
            f"{spell('params', {settings.knob: recipe.params[settings.knob]})}. "
            f"Fix: leave {settings.knob} out of {name_of('params')}."
        )
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
    return run_sweep(
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
        budget=settings.evidence_budget,
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
