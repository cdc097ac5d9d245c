"""Fast exact sweeps: one fit serves every value of a knob, with the naive path's numbers.

Sweeping ``n_estimators`` over 1…300 the naive way grows 1 + 2 + … + 300 trees per
fold; but the first *k* trees of a 300-tree forest *are* the *k*-tree forest (the trees'
seeds are drawn one after the other from the same seed). So we grow the forest once and
read every smaller forest off it. The table :data:`FAST_PATHS` lists every such path:

=====================  ============  ====================================================
model                  knob          one fit, then…
=====================  ============  ====================================================
random_forest,         n_estimators  grow the trees in order (warm start); the *k*-tree
extra_trees                          forest averages the first *k* trees' predictions
knn                    n_neighbors   one neighbour query at the largest *k*; the first
                                     *k* neighbours vote (or are averaged)
gradient_boosting      max_iter      add the trees in order; staged predictions give the
                                     model after *k* rounds
mlp_torch, cnn,        epochs        train once to the largest number of epochs; score
text_rnn,                            the net after each wanted epoch on the way
text_transformer
=====================  ============  ====================================================

Every path reproduces scikit-learn's own arithmetic, in the same order, so the scores are
*identical* (``==``), not just close; ``tests/experiment/test_fast.py`` checks that
against the naive path on several built-in datasets. Where it could not be (below), the
path falls back to the naive fit for that value, so a fast sweep never changes a number.

* **Forests**: scikit-learn sums the trees' ``predict_proba`` (regression: ``predict``)
  one tree at a time into a zeroed float64 array, then divides by the number of trees;
  so do we, keeping the running sum, so the *k*-tree sum is bit-identical. Growing the
  forest with ``warm_start`` gives the same trees as one fit (scikit-learn tests this)
  and a real fit time for every size.
* **k-nearest neighbours**: one ``kneighbors`` query at the largest *k* (plus one, to
  see ties) with the estimator scikit-learn would use (it switches from a k-d tree to
  brute force once ``k >= n // 2``, so values are grouped by that). Uniform votes are
  counts; a class wins by ``argmax`` over the classes in sorted order, exactly as
  scikit-learn breaks tied votes; probabilities are ``count / k``. Distance weights
  repeat scikit-learn's ``_get_weights``, ``weighted_mode`` and its sequential
  ``predict_proba`` loop; regression repeats ``np.mean`` / the weighted sum on arrays
  of the same shape. **Ties**: when two neighbours are at exactly the same distance
  around the *k*-th place (duplicated rows, integer pixels), *which* one scikit-learn
  keeps depends on its search order, not on a rule we can replay. The fast path
  detects such ties row by row and refits that value naively, so the numbers stay
  exact; on data full of duplicates (titanic) that leaves little speed-up.
* **Gradient boosting** (histogram): ``staged_predict``, ``staged_predict_proba`` and
  ``staged_decision_function`` run the same additions as ``predict`` & co., so stage
  *k* of a 300-round model is the *k*-round model. Without early stopping the rounds
  are added by ``warm_start`` (identical model, real fit time per value). With early
  stopping (``early_stopping=True``, or ``"auto"`` with more than 10 000 rows) warm
  starting is *not* identical (the stopping history restarts), so the model is fitted
  once at the largest value and every value reports that one fit's time; a value past
  the round where it stopped is the stopped model, as a fresh fit would be.
* **Neural networks** (``tinkerlab.nets``): a net trained for *k* epochs is the net after
  epoch *k* of a longer training with the same seed: the weights are drawn, the rows
  shuffled and dropout applied from torch's generator in the same order. Predicting
  between epochs must not draw from it (a ``DataLoader`` would, for its workers' seed),
  so the nets predict with their own loop and restore the generator's state. With
  early stopping, a value past the epoch where it stopped is the stopped net. The test
  compares with separate fits within a tolerance of 1e-6: the same process gives
  identical numbers, but torch does not promise bit-identical kernels across thread
  counts. Each value's fit time is the training time up to its epoch.
* **decision_tree max_depth has no fast path**: a depth-limited tree is *not* the full
  tree cut at that depth. The splitter draws random numbers at every split it makes
  (it visits the features in a random order and keeps the first of equally good
  splits), so a tree that stops early consumes fewer of them and later branches choose
  differently among tied splits. On wine, breast_cancer, penguins and diabetes some
  depths differ (``test_fast.py`` shows one), so ``max_depth`` runs the naive path.

What :meth:`FastPath.sweep` returns, per value (the unit the experiment engine stores
per fold, :class:`~tinkerlab.experiment._evaluate.FoldResult`)::

    {value: {"train": {metric: [score per fold]},   # on the rows the model was fitted on
             "test": {metric: [score per fold]},    # on the fold's validation rows
             "fit_time": [seconds per fold],        # preprocessing + model, for this value
             "n_train": [rows per fold],            # rows fitted on
             "n_test": [rows per fold],             # rows validated on
             "error": [None or message per fold]}}  # e.g. k larger than the fold

Scores are in the units people read (errors positive), as :class:`~tinkerlab.recipe.Metric`
signs say. :meth:`FastPath.sweep_fold` gives the same for one fold, so an engine can farm
folds out to workers.

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> recipe = make_recipe(load("iris"), model="knn")
>>> fast_path_for(recipe, "n_neighbors").how
'one neighbour query at the largest k; the first k neighbours vote (or are averaged)'
>>> fast_path_for(recipe, "weights") is None
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment._fast_knn import read_knn
from tinkerlab.experiment._fast_nets import read_epochs
from tinkerlab.recipe import Metric, build_pipeline, get_model

if TYPE_CHECKING:
    from tinkerlab.recipe import Recipe

#: A metric as the library names it, or as the engine ships it: (name, scorer, sign).
MetricLike = Metric | tuple[str, str, int]
#: Per method name ("predict", "predict_proba", "decision_function"): that method's output.
Responses = dict[str, Any]
#: What a path's reader yields for one value: (value, model fit seconds, responses per
#: set, a fitted estimator of the same kind and classes).
Stage = tuple[int, float, list[Responses], Any]
#: A reader: (unfitted model, values ascending, X to fit, y, X sets to predict, methods).
Reader = Callable[[Any, list[int], Any, Any, list[Any], set[str]], Iterator[Stage]]

#: Response methods a scorer may ask a model for, in scikit-learn's order of preference.
_METHODS = ("predict", "predict_proba", "decision_function")


@dataclass(frozen=True)
class FastPath:
    """One row of :data:`FAST_PATHS`: a (model, knob) pair that one fit can sweep exactly."""

    models: tuple[str, ...]  # registry names this path serves
    knob: str  # the parameter it sweeps
    how: str  # one plain sentence: what is fitted once, and what is read off it
    read: Reader  # yields, value by value (ascending), the model's predictions

    def sweep(
        self,
        recipe: Recipe,
        values: Sequence[int],
        X_train: Any,
        y_train: Any,
        folds: Sequence[tuple[np.ndarray, np.ndarray]],
        metrics: Sequence[MetricLike],
    ) -> dict[int, dict[str, Any]]:
        """Score every value on every fold, as fitting each value would.

        Parameters
        ----------
        recipe : Recipe
            The pipeline; its own value of the knob is ignored.
        values : sequence of int
            The knob's values (any order, no duplicates).
        X_train, y_train : DataFrame / array-like
            The training split; *folds* index into it.
        folds : sequence of (train positions, validation positions)
            E.g. :func:`~tinkerlab.experiment.paired_folds`.
        metrics : sequence of Metric or (name, scorer, sign)
            What to score; ``sign`` turns scikit-learn's negated errors back.

        Returns
        -------
        dict
            ``{value: {"train": {metric: [per fold]}, "test": {...}, "fit_time": [...],
            "n_train": [...], "n_test": [...], "error": [...]}}`` in the order of *values*
            (see the module docstring).
        """
        out: dict[int, dict[str, Any]] = {}
        for train, test in folds:
            X_fit, X_val = _rows(X_train, train), _rows(X_train, test)
            y_fit, y_val = _rows(y_train, train), _rows(y_train, test)
            for value, scores in self.sweep_fold(
                recipe, values, X_fit, y_fit, X_val, y_val, metrics
            ).items():
                point = out.setdefault(value, {"train": {}, "test": {}})
                for side in ("train", "test"):
                    for name, score in scores[side].items():
                        point[side].setdefault(name, []).append(score)
                for key in ("fit_time", "n_train", "n_test", "error"):
                    point.setdefault(key, []).append(scores[key])
        return out

    def sweep_fold(
        self,
        recipe: Recipe,
        values: Sequence[int],
        X_fit: Any,
        y_fit: Any,
        X_val: Any,
        y_val: Any,
        metrics: Sequence[MetricLike],
    ) -> dict[int, dict[str, Any]]:
        """One fold: ``{value: {"train": {metric: score}, "test": {...}, "fit_time": s,
        "n_train": rows, "n_test": rows, "error": None}}``, in the order of *values*."""
        wanted = _check_values(recipe, self.knob, values)
        ordered = sorted(set(wanted))
        specs = [_as_metric(m) for m in metrics]
        params = {**recipe.params, self.knob: ordered[-1]}
        pipeline = build_pipeline(recipe.with_changes(params=params))
        preprocess, model = pipeline.named_steps["preprocess"], pipeline.named_steps["model"]
        tick = time.perf_counter()
        Xt_fit = preprocess.fit_transform(X_fit, y_fit)  # exactly what Pipeline.fit does
        prep_time = time.perf_counter() - tick
        # Scoring calls Pipeline.predict, which transforms again: do the same (for most
        # transformers it equals fit_transform's output, but not for all, e.g. TF-IDF).
        sets = [preprocess.transform(X_fit), preprocess.transform(X_val)]
        scoring = _Scoring(specs, [y_fit, y_val])
        methods = _methods_needed(specs, model)
        out: dict[int, dict[str, Any]] = {}
        stages = self.read(model, ordered, Xt_fit, y_fit, sets, methods)
        for value, fit_time, responses, fitted in stages:
            scored: dict[str, Any] = {
                "fit_time": prep_time + fit_time,
                "n_train": len(y_fit),
                "n_test": len(y_val),
                "error": None,
            }
            for i, (side, got) in enumerate(zip(("train", "test"), responses, strict=True)):
                if "error" in got:
                    scored[side] = {m.name: math.nan for m in specs}
                    scored["error"] = got["error"]
                else:
                    scored[side] = scoring(fitted, i, got)
            out[value] = scored
        return {value: out[value] for value in wanted}


def fast_path_for(recipe: Recipe, knob: str) -> FastPath | None:
    """The fast exact path that sweeps *knob* of *recipe*'s model, or None (naive path).

    Only scikit-learn's estimators have one (our from-scratch twins are fitted naively).
    """
    if recipe.impl != "sklearn":
        return None
    return FAST_PATHS.get((recipe.model, knob))


# --- forests: grow once, average the first k trees ----------------------------------------


def _read_forest(
    model: Any, values: list[int], X: Any, y: Any, sets: list[Any], methods: set[str]
) -> Iterator[Stage]:
    """Grow the forest value by value (warm start: the same trees as one fit); keep the
    running sum of the trees' predictions, exactly as ``predict_proba`` accumulates it."""
    from scipy.sparse import issparse
    from sklearn.base import is_classifier
    from sklearn.utils import check_array

    classifier = is_classifier(model)
    model.set_params(warm_start=True)
    # The forest converts X to float32 once and lets every tree skip its own checks
    # (check_input=False); so do we, with the same conversion.
    sets = [check_array(X_set, dtype=np.float32, accept_sparse="csr") for X_set in sets]
    for X_set in sets:  # as the forest checks before it lets the trees skip theirs
        wide = issparse(X_set) and {X_set.indices.dtype, X_set.indptr.dtype} != {np.dtype(np.intc)}
        if wide:
            raise ValueError("No support for np.int64 index based sparse matrices")
    sums: list[Any] = [None] * len(sets)
    grown, fit_time = 0, 0.0
    for value in values:
        model.set_params(n_estimators=value)
        tick = time.perf_counter()
        model.fit(X, y)
        fit_time += time.perf_counter() - tick
        for i, X_set in enumerate(sets):
            for tree in model.estimators_[grown:value]:
                predict = tree.predict_proba if classifier else tree.predict
                one = predict(X_set, check_input=False)
                if sums[i] is None:  # scikit-learn adds the first tree to zeros too
                    sums[i] = np.zeros(one.shape, dtype=np.float64)
                sums[i] += one  # (n, n_classes) or (n,)
        grown = value
        responses: list[Responses] = []
        for total in sums:
            mean = total / value  # as `proba /= len(self.estimators_)`
            if classifier:
                predicted = model.classes_.take(np.argmax(mean, axis=1), axis=0)
                responses.append({"predict": predicted, "predict_proba": mean})
            else:
                responses.append({"predict": mean})
        yield value, fit_time, responses, model


# --- gradient boosting: staged predictions ------------------------------------------------


def _read_boosting(
    model: Any, values: list[int], X: Any, y: Any, sets: list[Any], methods: set[str]
) -> Iterator[Stage]:
    """Fit up to the largest value, then read the model after each round off the staged
    predictions (warm start per value where that is identical: without early stopping)."""
    early = model.early_stopping is True or (
        model.early_stopping == "auto" and X.shape[0] > 10_000  # scikit-learn's own rule
    )
    times: dict[int, float] = {}
    if not early:
        model.set_params(warm_start=True)
        fit_time = 0.0
        for value in values:
            model.set_params(max_iter=value)
            tick = time.perf_counter()
            model.fit(X, y)
            fit_time += time.perf_counter() - tick
            times[value] = fit_time
    if early or model.do_early_stopping_:
        model.set_params(warm_start=False, max_iter=values[-1])
        tick = time.perf_counter()
        model.fit(X, y)
        shared = time.perf_counter() - tick  # one fit serves every value
        times = dict.fromkeys(values, shared)
    # The model after round r is stage r; past an early stop, the stopped model.
    wanted: dict[int, list[int]] = {}
    for value in values:
        wanted.setdefault(min(value, model.n_iter_), []).append(value)
    staged = [
        {m: getattr(model, f"staged_{m}")(X_set) for m in methods} for X_set in sets
    ]  # per set, per method: a generator of one array per round
    for stage in range(1, max(wanted) + 1):
        current = [{m: next(gen) for m, gen in per_set.items()} for per_set in staged]
        for value in wanted.get(stage, []):
            yield value, times[value], current, model


#: Every fast exact path, by (model, knob). Anything else runs the naive path.
FAST_PATHS: dict[tuple[str, str], FastPath] = {
    (model, path.knob): path
    for path in (
        FastPath(
            ("random_forest", "extra_trees"),
            "n_estimators",
            "grow the trees once, in order; the k-tree forest averages the first k trees",
            _read_forest,
        ),
        FastPath(
            ("knn",),
            "n_neighbors",
            "one neighbour query at the largest k; the first k neighbours vote (or are averaged)",
            read_knn,
        ),
        FastPath(
            ("gradient_boosting",),
            "max_iter",
            "add the rounds once, in order; staged predictions give the model after k rounds",
            _read_boosting,
        ),
        FastPath(
            ("mlp_torch", "cnn", "text_rnn", "text_transformer"),
            "epochs",
            "train once to the largest number of epochs; score the net after each epoch",
            read_epochs,
        ),
    )
    for model in path.models
}


# --- scoring predictions that were computed already ---------------------------------------


class _Scoring:
    """Scores predictions through scikit-learn's own scorers, as if on the fitted model.

    Class labels are first replaced by their positions among the sorted classes (the
    predictions too). Every metric then sees the same rows, and the classes in the same
    order, so each score is the same number; but scikit-learn checks integer labels
    several times faster than strings, and checking labels is most of a score's cost.
    """

    def __init__(self, metrics: list[Metric], truths: list[Any]) -> None:
        from sklearn.metrics import get_scorer

        self.scorers = [(m.name, m.sign, get_scorer(m.scorer)) for m in metrics]
        self.truths = truths  # y of each set of rows: the training rows, the validation rows
        self.coded: dict[int, Any] = {}  # set -> y as class positions (None: cannot)

    def __call__(self, fitted: Any, which: int, responses: Responses) -> dict[str, float]:
        from sklearn.base import is_classifier

        y = self.truths[which]
        classes = None
        if is_classifier(fitted):
            classes = fitted.classes_  # (C,) sorted
            if which not in self.coded:
                self.coded[which] = _positions(classes, y)
            if self.coded[which] is not None:
                y = self.coded[which]
                predicted = np.searchsorted(classes, responses["predict"])  # (n,)
                responses = {**responses, "predict": predicted}
                classes = np.arange(len(classes))
        replay = _replay(fitted, responses, classes)
        rows = np.empty((len(y), 0))  # the replay ignores X; scorers only pass it on
        return {name: float(sign * score(replay, rows, y)) for name, sign, score in self.scorers}


def _positions(classes: np.ndarray, y: Any) -> np.ndarray | None:
    """Each label's position among the sorted *classes*, or None if one is not there."""
    labels = np.asarray(y)  # (n,)
    try:
        codes = np.searchsorted(classes, labels)  # (n,)
    except TypeError:  # labels of types that do not compare
        return None
    if codes.size and (codes.max() >= len(classes) or not np.array_equal(classes[codes], labels)):
        return None
    return codes


def _replay(model: Any, responses: Responses, classes: Any = None) -> Any:
    """A stand-in for the fitted model at one value: same kind, same classes, same response
    methods (so a scorer picks the one it would pick), answering from *responses*."""
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
    from sklearn.utils.metaestimators import available_if

    has = {m for m in _METHODS if hasattr(model, m)}

    def answers(method: str) -> Callable[[Any], bool]:
        return lambda self: method in has

    class Replay(BaseEstimator):  # type: ignore[misc]
        def __init__(self) -> None:
            if is_classifier(model):
                self.classes_ = classes if classes is not None else model.classes_

        @available_if(answers("predict"))  # type: ignore[untyped-decorator]
        def predict(self, X: Any) -> Any:
            return responses["predict"]

        @available_if(answers("predict_proba"))  # type: ignore[untyped-decorator]
        def predict_proba(self, X: Any) -> Any:
            return responses["predict_proba"]

        @available_if(answers("decision_function"))  # type: ignore[untyped-decorator]
        def decision_function(self, X: Any) -> Any:
            return responses["decision_function"]

    kind = ClassifierMixin if is_classifier(model) else RegressorMixin
    return type("Replay", (kind, Replay), {})()


def _methods_needed(metrics: list[Metric], model: Any) -> set[str]:
    """The response methods the scorers will call on *model* (first available of each
    scorer's preference, as scikit-learn resolves it); every method if it cannot tell."""
    from sklearn.metrics import get_scorer

    has = [m for m in _METHODS if hasattr(model, m)]
    needed = {"predict"} & set(has)
    for metric in metrics:
        wanted = getattr(get_scorer(metric.scorer), "_response_method", None)
        if wanted is None:
            return set(has)
        choices = (wanted,) if isinstance(wanted, str) else tuple(wanted)
        needed.update(next(([c] for c in choices if c in has), []))
    return needed


def _as_metric(metric: MetricLike) -> Metric:
    if isinstance(metric, Metric):
        return metric
    name, scorer, sign = metric
    return Metric(name, scorer, sign, sign > 0, "")


def _check_values(recipe: Recipe, knob: str, values: Sequence[int]) -> list[int]:
    """The values, each checked against the registry's range; at least one, no duplicates."""
    spec = get_model(recipe.model, recipe.task)
    checked = [spec.knob(knob, recipe.task).check(v, spec.title) for v in values]
    if not checked:
        raise RecipeError(f"A sweep of {knob} needs at least one value. Got none.")
    if len(set(checked)) != len(checked):
        raise RecipeError(f"The values of {knob} repeat: {list(values)!r}. Fix: list each once.")
    return checked


def _rows(data: Any, positions: np.ndarray) -> Any:
    """Rows by position, from a DataFrame, a Series or an array."""
    return data.iloc[positions] if hasattr(data, "iloc") else np.asarray(data)[positions]
