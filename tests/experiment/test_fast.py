"""Fast exact sweeps give the naive path's scores exactly (==), on several built-in datasets.

The naive path here is what the sweep engine does for a knob without a fast path: build
the pipeline with the value, fit it on the fold, score it on both sides of the fold with
scikit-learn's scorers. No tolerance anywhere: every fast path repeats scikit-learn's own
arithmetic in the same order (see the docstring of ``tinkerlab.experiment._fast``).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment import _fast as fast
from tinkerlab.experiment import _fast_knn as fast_knn
from tinkerlab.experiment import paired_folds
from tinkerlab.recipe import build_pipeline, make_recipe, metrics_for
from tinkerlab.runner import prepare_frame, split

# Both paths score a class a model never predicts as precision 0, with the same warning.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")


@cache
def _table(name: str):
    dataset = load(name)
    recipe = make_recipe(dataset)
    X, y = prepare_frame(recipe, dataset.frame)
    return dataset, X, y


def setup(name: str, model: str, params: dict | None = None, cv: int = 2):
    """Recipe, training split, paired folds and every metric of the task."""
    dataset, X, y = _table(name)
    recipe = make_recipe(dataset, model=model, params=params or {}, cv_folds=cv)
    X_train, _, y_train, _ = split(recipe, X, y)
    folds = paired_folds(recipe, X_train, y_train, repeats=1)
    n_classes = int(y.nunique()) if recipe.task == "classification" else 0
    metrics = metrics_for(recipe.task, n_classes, build_pipeline(recipe))
    return recipe, X_train, y_train, folds, metrics


def naive(recipe, knob, values, X, y, folds, metrics):
    """One fit per value and fold, scored as the engine scores it."""
    from sklearn.metrics import check_scoring

    scoring = {m.name: m.scorer for m in metrics}
    out = {}
    for value in values:
        point = recipe.with_changes(params={**recipe.params, knob: value})
        scores = {"train": {m.name: [] for m in metrics}, "test": {m.name: [] for m in metrics}}
        for train, test in folds:
            pipeline = build_pipeline(point).fit(X.iloc[train], y.iloc[train])
            scorer = check_scoring(pipeline, scoring=scoring)
            for side, rows in (("train", train), ("test", test)):
                got = scorer(pipeline, X.iloc[rows], y.iloc[rows])
                for m in metrics:
                    scores[side][m.name].append(float(m.sign * got[m.name]))
        out[value] = scores
    return out


def assert_identical(fast_scores, naive_scores):
    assert list(fast_scores) == list(naive_scores)
    for value, expected in naive_scores.items():
        for side in ("train", "test"):
            # Exact equality, every metric, every fold: no tolerance. Right here: one process,
            # and the fast path performs the naive loop's own arithmetic in the same order.
            assert fast_scores[value][side] == expected[side], (value, side)


#: Every metric of the task on one case per path and task; elsewhere one metric read off
#: predict and one read off the scores (ROC AUC) or the values (MAE), to keep it quick.
EVERY = "every metric"
CASES = [
    # (dataset, model, knob, values, params, metrics)
    ("wine", "knn", "n_neighbors", [1, 2, 5, 13, 40], {}, EVERY),
    ("breast_cancer", "knn", "n_neighbors", [1, 4, 9, 25], {"weights": "distance"}, EVERY),
    ("wine", "knn", "n_neighbors", [2, 7, 30, 60], {"weights": "distance", "p": 1}, None),
    ("diabetes", "knn", "n_neighbors", [1, 3, 10, 50], {}, EVERY),
    ("diabetes", "knn", "n_neighbors", [1, 3, 10, 50], {"weights": "distance"}, None),
    ("iris", "random_forest", "n_estimators", [1, 3, 10, 25], {}, EVERY),
    ("titanic", "random_forest", "n_estimators", [1, 4, 15], {"max_depth": 6}, None),
    ("diabetes", "random_forest", "n_estimators", [1, 3, 12], {}, EVERY),
    ("wine", "extra_trees", "n_estimators", [2, 5, 20], {}, None),
    ("breast_cancer", "gradient_boosting", "max_iter", [1, 5, 20, 40], {}, EVERY),
    ("wine", "gradient_boosting", "max_iter", [3, 10, 25], {"learning_rate": 0.3}, None),
    ("diabetes", "gradient_boosting", "max_iter", [1, 10, 30], {}, EVERY),
]


@pytest.mark.parametrize(
    ("name", "model", "knob", "values", "params", "which"),
    CASES,
    ids=[
        f"{c[0]}-{c[1]}-{'-'.join(f'{k}={v}' for k, v in c[4].items()) or 'default'}" for c in CASES
    ],
)
def test_fast_equals_naive_exactly(name, model, knob, values, params, which):
    recipe, X, y, folds, metrics = setup(name, model, params)
    if which != EVERY:
        metrics = tuple(m for m in metrics if m.name in ("accuracy", "roc_auc", "mae", "r2"))
    path = fast.fast_path_for(recipe, knob)
    assert path is not None
    # Values in any order; the result keeps the order asked for.
    shuffled = values[1:] + values[:1]
    got = path.sweep(recipe, shuffled, X, y, folds, metrics)
    assert_identical(got, naive(recipe, knob, shuffled, X, y, folds, metrics))
    for point in got.values():
        assert len(point["fit_time"]) == len(folds)
        assert all(t > 0 for t in point["fit_time"])
        assert point["error"] == [None] * len(folds)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "params"),
    [("titanic", {}), ("iris", {"weights": "distance"})],
)
def test_knn_with_distance_ties_falls_back_and_stays_exact(name, params, monkeypatch):
    """Duplicated rows and integer pixels put neighbours at exactly the same distance."""
    refits = []
    real = fast_knn._naive_knn
    monkeypatch.setattr(
        fast_knn,
        "_naive_knn",
        lambda model, value, *rest: refits.append(value) or real(model, value, *rest),
    )
    recipe, X, y, folds, metrics = setup(name, "knn", params)
    metrics = tuple(m for m in metrics if m.name in ("accuracy", "roc_auc"))
    values = [1, 2, 5, 11]
    got = fast.fast_path_for(recipe, "n_neighbors").sweep(recipe, values, X, y, folds, metrics)
    assert refits, "this data has ties at the k-th place: some values must be refitted"
    assert_identical(got, naive(recipe, "n_neighbors", values, X, y, folds, metrics))


def test_iris_ties_are_detected(monkeypatch):
    refits = []
    real = fast_knn._naive_knn
    monkeypatch.setattr(
        fast_knn,
        "_naive_knn",
        lambda model, value, *rest: refits.append(value) or real(model, value, *rest),
    )
    recipe, X, y, folds, metrics = setup("iris", "knn")
    metrics = tuple(m for m in metrics if m.name in ("accuracy", "roc_auc"))
    values = [1, 4, 5, 6, 15]
    got = fast.fast_path_for(recipe, "n_neighbors").sweep(recipe, values, X, y, folds, metrics)
    assert 0 < len(refits) < len(values) * len(folds)  # some values tie, not all
    assert_identical(got, naive(recipe, "n_neighbors", values, X, y, folds, metrics))


def test_boosting_with_early_stopping_reads_stages_exactly():
    """Early stopping on (as scikit-learn's "auto" does above 10 000 rows): one fit at the
    largest value; a value past the stop is the stopped model, as a fresh fit would be."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = make_classification(1500, 8, n_informative=5, random_state=0)
    X_fit, X_val, y_fit = X[:1000], X[1000:], y[:1000]
    model = HistGradientBoostingClassifier(
        early_stopping=True, n_iter_no_change=3, learning_rate=0.5, random_state=0
    )
    values = [1, 4, 10, 200]
    methods = {"predict", "predict_proba", "decision_function"}
    stages = list(fast._read_boosting(model, values, X_fit, y_fit, [X_val], methods))
    assert model.n_iter_ < 200  # it did stop early
    assert len({t for _, t, _, _ in stages}) == 1  # one shared fit time
    for value, _, [responses], _ in stages:
        fresh = HistGradientBoostingClassifier(
            max_iter=value, early_stopping=True, n_iter_no_change=3, learning_rate=0.5,
            random_state=0,
        ).fit(X_fit, y_fit)  # fmt: skip
        for method in methods:
            assert np.array_equal(responses[method], getattr(fresh, method)(X_val)), method


def test_metrics_may_come_as_the_engines_tuples_and_y_as_an_array():
    recipe, X, y, folds, metrics = setup("wine", "random_forest")
    tuples = [(m.name, m.scorer, m.sign) for m in metrics]
    train, test = folds[0]
    path = fast.fast_path_for(recipe, "n_estimators")
    got = path.sweep_fold(
        recipe, [2, 6], X.iloc[train], y.to_numpy()[train], X.iloc[test], y.to_numpy()[test], tuples
    )
    expected = path.sweep(recipe, [2, 6], X, y, folds[:1], metrics)
    for value in (2, 6):
        for side in ("train", "test"):
            assert {k: [v] for k, v in got[value][side].items()} == expected[value][side]
    assert got[2]["n_train"] == len(train)
    assert got[2]["n_test"] == len(test)


def test_forest_fit_time_grows_with_the_trees():
    recipe, X, y, folds, metrics = setup("breast_cancer", "random_forest")
    got = fast.fast_path_for(recipe, "n_estimators").sweep(
        recipe, [1, 40], X, y, folds[:1], metrics[:1]
    )
    assert got[1]["fit_time"][0] < got[40]["fit_time"][0]


def test_more_neighbours_than_rows_is_an_error_for_that_value_only():
    recipe, X, y, folds, metrics = setup("iris", "knn")
    got = fast.fast_path_for(recipe, "n_neighbors").sweep(
        recipe, [3, 500], X, y, folds[:1], metrics[:1]
    )
    assert got[3]["error"] == [None]
    assert "n_neighbors" in got[500]["error"][0]
    assert math.isnan(got[500]["test"]["accuracy"][0])


def test_which_knobs_have_a_fast_path():
    knn = make_recipe(load("iris"), model="knn")
    assert fast.fast_path_for(knn, "n_neighbors") is not None
    assert fast.fast_path_for(knn, "weights") is None
    assert fast.fast_path_for(knn.with_changes(impl="scratch"), "n_neighbors") is None
    tree = make_recipe(load("iris"), model="decision_tree")
    assert fast.fast_path_for(tree, "max_depth") is None  # see the next test
    assert set(fast.FAST_PATHS) == {
        ("random_forest", "n_estimators"),
        ("extra_trees", "n_estimators"),
        ("knn", "n_neighbors"),
        ("gradient_boosting", "max_iter"),
        # the neural networks (tests/nets/test_epochs_fast_path.py)
        ("mlp_torch", "epochs"),
        ("cnn", "epochs"),
        ("text_rnn", "epochs"),
        ("text_transformer", "epochs"),
    }


def test_a_depth_limited_tree_is_not_the_full_tree_cut_short():
    """Why decision_tree max_depth has no fast path: cutting the full tree at depth d does
    not always give the tree grown with max_depth=d. On the training rows they agree, but
    where two splits were equally good the two trees may have kept different ones (the
    splitter visits the features in a random order, and a tree that stops early draws
    fewer random numbers), so rows they never saw can land on different sides."""
    dataset, X, y = _table("wine")
    recipe = make_recipe(dataset, model="decision_tree")
    X_train, X_test, y_train, _ = split(recipe, X, y)
    full = build_pipeline(recipe).fit(X_train, y_train)
    tree, structure = full.named_steps["model"], full.named_steps["model"].tree_
    depth = np.zeros(structure.node_count, dtype=int)  # (nodes,)
    for node in range(structure.node_count):
        for child in (structure.children_left[node], structure.children_right[node]):
            if child >= 0:
                depth[child] = depth[node] + 1
    rows = full.named_steps["preprocess"].transform(X_test)
    paths = tree.decision_path(rows).toarray().astype(bool)  # (n, nodes)
    differs = []
    for d in range(1, tree.get_depth()):
        cut = [np.flatnonzero(path & (depth <= d))[-1] for path in paths]  # node at depth <= d
        cut_class = tree.classes_[structure.value[cut].argmax(axis=-1).ravel()]
        grown = build_pipeline(recipe.with_changes(params={"max_depth": d}))
        differs.append(not np.array_equal(cut_class, grown.fit(X_train, y_train).predict(X_test)))
    assert any(differs)


@pytest.mark.parametrize(
    ("values", "message"),
    [([], "at least one"), ([3, 3], "repeat"), ([0, 5], "must be an int in")],
)
def test_bad_values_are_refused(values, message):
    recipe, X, y, folds, metrics = setup("iris", "knn")
    with pytest.raises(RecipeError, match=message):
        fast.fast_path_for(recipe, "n_neighbors").sweep(recipe, values, X, y, folds, metrics)


def test_the_module_docstring_example_runs():
    import doctest

    assert doctest.testmod(fast).failed == 0
