"""Executing a Recipe: split, cross-validate, fit, score, explain — beside a baseline.

The steps are exactly those of the script :meth:`Run.script` writes, in the same
order and with the same seeds, so the two print the same numbers:

1. hold out ``test_size`` of the rows (stratified for classification);
2. k-fold cross-validation of the pipeline on the training split (mean ± std);
3. fit on the whole training split and score the held-out test split once;
4. the same for a dummy baseline that ignores the features;
5. what came out: confusion matrix or residuals, the most important features, and
   what draws the plots (drawn when first asked for, not here: ``runner._plots``).

Two things only make it faster, never different. Every metric is scored from one pass
of the preprocessing (:func:`score_all`: a wide table's one-hot encoding is most of the
cost of a prediction). And the BLAS/OpenMP thread pools are capped at the cores other
programs leave idle (:func:`tinkerlab._threads.idle_cores`): on a busy machine OpenMP's
waiting made a gradient boosting run many times slower than it needed to be.
"""

from __future__ import annotations

import contextlib
import re
import time
import warnings
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tinkerlab._threads import idle_cores, limited_threads
from tinkerlab.exceptions import SchemaError
from tinkerlab.options import spell
from tinkerlab.recipe import (
    Metric,
    build_pipeline,
    check_step_values,
    get_model,
    metrics_for,
    warm_text_features,
)
from tinkerlab.runner._explain import describe_inputs, describe_outputs, importances
from tinkerlab.runner._folds import fold_scores
from tinkerlab.runner._plots import plot_data
from tinkerlab.runner._responses import answered_once
from tinkerlab.runner._run import Run

if TYPE_CHECKING:
    from tinkerlab.data import Dataset
    from tinkerlab.recipe import Recipe

#: Called with a short description of each step as it starts (for progress bars).
Progress = Callable[[str], None]
#: Scores ``(estimator, X, y)`` on every metric: ``{"accuracy": 0.81, ...}``.
Scorer = Callable[[Any, Any, Any], dict[str, float]]


def prepare_frame(
    recipe: Recipe, frame: pd.DataFrame, extra: Iterable[str] = ()
) -> tuple[pd.DataFrame, pd.Series[Any]]:
    """``X`` and ``y`` from the table, as the script's "Load the data" step does it.

    ``X`` holds the recipe's inputs (its features, and the dates its new-feature steps
    take apart), then the *extra* columns a sweep's other values need. The new-feature
    steps are checked against the values first (a log of negative numbers fails here).
    """
    frame = frame.dropna(subset=[recipe.target]).reset_index(drop=True)
    if recipe.text:
        frame[list(recipe.text)] = frame[list(recipe.text)].fillna("")
    check_step_values(recipe, frame)
    columns = list(dict.fromkeys([*recipe.inputs, *extra]))
    return as_object_strings(frame[columns], recipe.categorical), frame[recipe.target]


def as_object_strings(X: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """*X* with the text-typed ones of *columns* as one NumPy object block, and its column
    names as Python strings: the same values, the same names.

    pandas keeps every ``str`` column in its own Arrow array, so each row selection (a
    fold) and each conversion for scikit-learn (its imputer and encoder want object
    arrays) visits thousands of columns one by one on a wide table; one object block is
    taken and converted at once.
    """
    strings = [c for c in columns if pd.api.types.is_string_dtype(X[c].dtype)]
    strings = [c for c in strings if X[c].dtype != object]
    if strings:
        objects = X[strings].to_numpy(dtype=object)  # (n_rows, n_strings)
        block = pd.DataFrame(objects, index=X.index, columns=strings, dtype=object)
        X = pd.concat([X.drop(columns=strings), block], axis=1)[list(X.columns)]
    if X.columns.dtype != object:
        # The column names too: scikit-learn checks them on every call, and walks an Arrow
        # array of 8,000 names element by element (5 ms a check; 0.6 ms as objects).
        X = X.set_axis(pd.Index(X.columns, dtype=object), axis=1)
    return X


def split(recipe: Recipe, X: pd.DataFrame, y: pd.Series[Any]) -> tuple[Any, Any, Any, Any]:
    """The held-out test split, after checking every class can be split and folded."""
    from sklearn.model_selection import train_test_split

    classification = recipe.task == "classification"
    if classification:
        _check_class_counts(recipe, y)
    elif len(y) * (1 - recipe.test_size) < 2 * recipe.cv_folds:
        raise SchemaError(
            f"Only {len(y)} rows: too few for a {recipe.test_size:.0%} test split and "
            f"{recipe.cv_folds}-fold cross-validation. Fix: use more rows, or {spell('cv', 2)}."
        )
    X_train, X_test, y_train, y_test = train_test_split(
        X,
        y,
        test_size=recipe.test_size,
        random_state=recipe.seed,
        stratify=y if classification else None,
    )
    if classification:
        # Per-class scores on the test split (ROC AUC over every class) need every class there.
        absent = sorted(set(y) - set(y_test), key=str)
        if absent:
            larger = round(min(0.5, recipe.test_size + 0.1), 1)
            raise SchemaError(
                f"The {recipe.test_size:.0%} test split has no row of class "
                f"{', '.join(repr(str(c)) for c in absent[:5])}: too rare to be tested. "
                f"Fix: a larger test split ({spell('test_size', larger)}), "
                "more rows, or drop or merge the rare classes."
            )
    return X_train, X_test, y_train, y_test


def splitter(recipe: Recipe) -> Any:
    """The cross-validation folds: stratified for classification, shuffled, seeded."""
    from sklearn.model_selection import KFold, StratifiedKFold

    kind = StratifiedKFold if recipe.task == "classification" else KFold
    return kind(n_splits=recipe.cv_folds, shuffle=True, random_state=recipe.seed)


def execute(
    recipe: Recipe,
    dataset: Dataset,
    progress: Progress | None = None,
    on_scores: Callable[[Run], None] | None = None,
) -> Run:
    """Run *recipe* on *dataset* and return the :class:`Run` with metrics, plots and model.

    Nothing is written anywhere: recording the run is the journal's job. Warnings raised
    while fitting (a solver that did not converge...) become notices on the run, counted
    once each, instead of one line per fold on the terminal.

    *on_scores* is called with the run as soon as its numbers are known (cross-validated
    and test scores, the baseline's test scores, the inputs), before the baseline's own
    cross-validation and the permutation importances, which the printed numbers do not
    need: the command line prints them at that moment, and ``run.baseline`` gains the
    baseline's cross-validated scores right after. The plots are drawn later still, when
    first asked for (``run.plots``, the journal).
    """
    from sklearn.exceptions import UndefinedMetricWarning

    with limited_threads(idle_cores()), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # A model that never predicts some class has an undefined precision for it, scored 0
        # (the baseline never predicts the rarer classes at all); the script does the same.
        warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
        result = _execute(recipe, dataset, progress, on_scores)
    result.notices.extend(_warning_notices(caught))
    return result


def group_alike(messages: Iterable[str]) -> list[tuple[str, int]]:
    """Group messages that differ only in their numbers; return (first one, how many).

    "gradient 0.108" and "gradient 0.111" (one warning per fold) are the same message.
    """
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    for message in messages:
        key = re.sub(r"[-+]?\d[\d.e+-]*", "#", message)
        first.setdefault(key, message)
        counts[key] = counts.get(key, 0) + 1
    return [(first[key], n) for key, n in counts.items()]


def _warning_notices(caught: list[warnings.WarningMessage]) -> list[str]:
    """One notice per kind of warning, with how often it came (e.g. once per fold)."""
    kept = [
        f"{w.category.__name__}\0{w.message}"
        for w in caught
        if not issubclass(w.category, DeprecationWarning | FutureWarning)  # about versions
    ]
    notices = []
    for text, n in group_alike(kept):
        kind, message = text.split("\0", 1)
        notices.append(f"{kind} ({n}×): {message}")
    return notices


def _execute(
    recipe: Recipe,
    dataset: Dataset,
    progress: Progress | None,
    on_scores: Callable[[Run], None] | None = None,
) -> Run:
    from sklearn.dummy import DummyClassifier, DummyRegressor

    say = progress or (lambda _step: None)
    started = time.perf_counter()
    X, y = prepare_frame(recipe, dataset.frame)
    X_train, X_test, y_train, y_test = split(recipe, X, y)
    pipeline = build_pipeline(recipe)
    n_classes = int(y.nunique()) if recipe.task == "classification" else 0
    metrics = metrics_for(recipe.task, n_classes, pipeline)
    scorer = score_all(metrics)

    if recipe.preprocessing.text_features == "minilm":
        say(f"encoding {len(X)} texts with MiniLM (cached on disk for the next time)")
    warm_text_features(recipe, X)  # each text encoded once; the folds read the cache
    timings: dict[str, float] = {}
    with _epochs_told(recipe, say):
        scores, timings["cv"] = _cross_validate(
            recipe, pipeline, metrics, scorer, X_train, y_train, say=say
        )
        say(f"fitting {recipe.model} on {len(X_train)} rows")
        tick = time.perf_counter()
        pipeline.fit(X_train, y_train)
    timings["fit"] = time.perf_counter() - tick
    tick = time.perf_counter()
    model, Xt_test = last_step(pipeline, X_test)  # the test split preprocessed once
    _add_test_scores(scores, scorer(model, Xt_test, y_test), metrics)
    y_pred = model.predict(Xt_test)
    timings["predict"] = time.perf_counter() - tick

    say("scoring the baseline")
    dummy = DummyClassifier() if recipe.task == "classification" else DummyRegressor()
    dummy.fit(X_train, y_train)
    baseline_test: dict[str, dict[str, Any]] = {m.name: {} for m in metrics}
    _add_test_scores(baseline_test, scorer(dummy, X_test, y_test), metrics)

    summary = {
        "inputs": describe_inputs(recipe, dataset, X, y, len(X_train), len(X_test)),
        "folds": {m.name: scores[m.name].pop("folds") for m in metrics},
    }
    curve = getattr(pipeline[-1], "history_", None)  # a neural network's epochs
    if curve:
        summary["training_curve"] = curve
    run = Run(
        recipe=recipe,
        pipeline=pipeline,
        metrics={name: {k: float(v) for k, v in s.items()} for name, s in scores.items()},
        baseline={name: {k: float(v) for k, v in s.items()} for name, s in baseline_test.items()},
        metric_specs=metrics,
        summary=summary,
        timings=timings,
        notices=list(dataset.notices),
        data_sha256=dataset.source.sha256,
        predictions=pd.DataFrame({"actual": np.asarray(y_test), "predicted": y_pred}),
    )
    if on_scores is not None:
        on_scores(run)  # the numbers first; what follows only explains them
    # The baseline's folds: the journal and the findings compare against them, the printed
    # table does not (it shows the baseline's test score).
    baseline, _ = _cross_validate(recipe, dummy, metrics, scorer, X_train, y_train)
    for m in metrics:
        cv = {k: float(v) for k, v in baseline[m.name].items() if k != "folds"}
        run.baseline[m.name] = cv | run.baseline[m.name]  # the keys in the usual order
    say("explaining the model")
    found = importances(recipe, pipeline, X_test, y_test, metrics[0])
    summary["outputs"] = describe_outputs(recipe, y_test, y_pred, found)
    # What draws the plots, not the pictures: matplotlib is imported when they are asked for.
    run.plot_data = plot_data(recipe, model, Xt_test, y_test, y_pred, found, summary["outputs"])
    timings["total"] = time.perf_counter() - started
    return run


def _epochs_told(recipe: Recipe, say: Progress) -> contextlib.AbstractContextManager[None]:
    """While a neural network trains, tell each epoch and its training loss."""
    if get_model(recipe.model).extra != "deep":
        return contextlib.nullcontext()
    from tinkerlab.nets import listen

    def told(epoch: int, epochs: int, loss: float, row: dict[str, float]) -> None:
        say(f"training {recipe.model}: epoch {epoch} of {epochs}, train loss {loss:.4g}")

    return listen(told)


def last_step(estimator: Any, X: Any) -> tuple[Any, Any]:
    """``(model, X preprocessed)`` for a pipeline; ``(estimator, X)`` for anything else.

    ``pipeline.predict(X)`` is ``model.predict(preprocess.transform(X))``: handing the
    model the preprocessed rows gives the same predictions, with the preprocessing done
    once for every metric, the predictions and the ROC curve instead of once for each.
    """
    from sklearn.pipeline import Pipeline

    if not isinstance(estimator, Pipeline):
        return estimator, X
    return estimator[-1], estimator[:-1].transform(X)


def score_all(metrics: tuple[Metric, ...]) -> Scorer:
    """One scorer for every metric of a run, preprocessing the rows once per call.

    scikit-learn's scoring with several metrics already predicts once per kind of
    response (``predict``, ``predict_proba``), but each response runs the pipeline's
    preprocessing again; this runs it once (:func:`last_step`). The scores are the
    same numbers. Each response is asked of the model once, and a random forest's
    ``predict`` and ``predict_proba`` come from one pass over its trees
    (:func:`~tinkerlab.runner._responses.answered_once`).
    """
    score_model = score_preprocessed(metrics)

    def score(estimator: Any, X: Any, y: Any) -> dict[str, float]:
        return score_model(*last_step(estimator, X), y)

    return score


def score_preprocessed(metrics: tuple[Metric, ...]) -> Scorer:
    """Score a pipeline's last step (the model) on rows already preprocessed, on every
    metric: what :func:`score_all` does after the preprocessing.

    The target goes in as the NumPy array scikit-learn's own checks make of it
    (``column_or_1d``), made once: each metric checks its inputs again, about four
    times, and a pandas Series takes the long way through every one of those checks
    (its dataframe-library detection), a fifth of the scoring's time on iris. The values
    are the same, and so are the scores.

    Precision, recall and F1 of one averaging are one call: scikit-learn's three scorers
    each call ``precision_recall_fscore_support`` and keep one of its three answers
    (:func:`prf_together`).
    """
    from sklearn.metrics import check_scoring, precision_recall_fscore_support
    from sklearn.utils.validation import column_or_1d

    scoring = {m.name: m.scorer for m in metrics}
    together, average = prf_together(scoring)
    rest = {name: scorer for name, scorer in scoring.items() if name not in together}

    def score(model: Any, Xt: Any, y: Any) -> dict[str, float]:
        asked = answered_once(model, Xt)  # each response once; a forest's in one pass
        y = column_or_1d(y)  # (n_rows,): what each metric's checks would make of it
        scores: dict[str, float] = {}
        if rest:
            scores = check_scoring(model, scoring=rest)(asked, Xt, y)
        if together:
            found = precision_recall_fscore_support(y, asked.predict(Xt), average=average)
            scores |= {name: found[i] for name, i in together.items()}
        return {name: scores[name] for name in scoring}  # in the metrics' order

    return score


#: scikit-learn's precision, recall and F1 scorers: the part of
#: ``precision_recall_fscore_support``'s answer each one keeps.
PRF_PARTS = {"precision": 0, "recall": 1, "f1": 2}


def prf_together(scoring: dict[str, str]) -> tuple[dict[str, int], str]:
    """The metrics of *scoring* (name -> scikit-learn scorer) that one call of
    ``precision_recall_fscore_support`` answers, each with its part of the answer, and
    the averaging: all three of precision, recall and F1 averaged the same way, or none.

    >>> prf_together({"accuracy": "accuracy", "p": "precision_macro",
    ...               "r": "recall_macro", "f": "f1_macro"})
    ({'p': 0, 'r': 1, 'f': 2}, 'macro')
    >>> prf_together({"p": "precision_macro", "f": "f1_weighted"})
    ({}, '')
    """
    by_average: dict[str, dict[str, int]] = {}
    for name, scorer in scoring.items():
        kind, _, average = scorer.partition("_")
        if kind in PRF_PARTS and average in ("", "macro", "weighted", "micro"):
            by_average.setdefault(average or "binary", {})[name] = PRF_PARTS[kind]
    for average, parts in by_average.items():
        if sorted(parts.values()) == [0, 1, 2]:
            return parts, average
    return {}, ""


def _cross_validate(
    recipe: Recipe,
    model: Any,
    metrics: tuple[Metric, ...],
    scorer: Scorer,
    X: Any,
    y: Any,
    say: Progress | None = None,
) -> tuple[dict[str, dict[str, Any]], float]:
    """scikit-learn's ``cross_validate`` on the recipe's folds, one fold at a time, telling
    *say* (when given) how far it got; the training rows are preprocessed once per fold
    where that gives the same numbers (:func:`tinkerlab.runner._folds.fold_scores`)."""
    tick = time.perf_counter()
    folds = list(splitter(recipe).split(X, y))  # what cross_validate itself would draw

    def started(i: int, n: int) -> None:
        if say is not None:
            say(f"cross-validating {recipe.model}: fold {i} of {n}")

    result = fold_scores(model, X, y, folds, scorer, score_preprocessed(metrics), started)
    elapsed = time.perf_counter() - tick
    scores: dict[str, dict[str, Any]] = {}
    for m in metrics:
        folds_scores = m.sign * result[f"test_{m.name}"]  # (cv_folds,)
        train = m.sign * result[f"train_{m.name}"]  # (cv_folds,)
        scores[m.name] = {
            "cv_mean": folds_scores.mean(),
            "cv_std": folds_scores.std(),
            "train_mean": train.mean(),
            "folds": [float(v) for v in folds_scores],
        }
    return scores, elapsed


def _add_test_scores(
    scores: dict[str, dict[str, Any]], tested: dict[str, float], metrics: tuple[Metric, ...]
) -> None:
    for m in metrics:
        scores[m.name]["test"] = m.sign * tested[m.name]


def _check_class_counts(recipe: Recipe, y: pd.Series[Any]) -> None:
    counts = y.value_counts()
    rarest, n = counts.index[-1], int(counts.iloc[-1])
    # After the stratified split the training part keeps about (1 - test_size) of each class.
    in_train = int(np.floor(n * (1 - recipe.test_size)))
    if n < 2 or in_train < recipe.cv_folds:
        rare = [
            (c, int(k)) for c, k in counts.items() if k * (1 - recipe.test_size) < recipe.cv_folds
        ]
        few = ", ".join(f"'{c}' ({k})" for c, k in rare[:5])
        few += f" and {len(rare) - 5} more" if len(rare) > 5 else ""
        raise SchemaError(
            f"Class '{rarest}' of {recipe.target!r} has only {n} rows, about {in_train} after "
            f"holding out the test split, but {recipe.cv_folds}-fold stratified cross-validation "
            f"needs at least {recipe.cv_folds} rows of every class in the training split. "
            f"Too rare: {few}. Fix: fewer folds ({spell('cv', max(2, min(in_train, 3)))}), "
            "more rows, "
            "or drop or merge the rare classes."
        )
