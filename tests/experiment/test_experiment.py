"""tinker() end to end on small data: the table, the best value and its verdict, the plot,
every knob kind, predictions, and what reaches the store."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import InputError, RecipeError
from tinkerlab.experiment import (
    METHOD,
    Prediction,
    SweepInterrupted,
    paired_folds,
    resume,
    tinker,
)
from tinkerlab.recipe import build_pipeline, make_recipe
from tinkerlab.runner import prepare_frame, split

FAST = {"repeats": 1, "n_jobs": 1}


@pytest.fixture(scope="module")
def knn_sweep():
    return tinker(
        "iris", "n_neighbors", [1, 5, 61], model="knn", predict="down", predict_best=5, **FAST
    )


def test_table_best_verdict_and_prediction(knn_sweep):
    ex = knn_sweep
    frame = ex.frame
    assert list(frame["value"]) == [1, 5, 61]
    assert list(frame.columns) == [
        "value",
        "label",
        "train_mean",
        "train_std",
        "cv_mean",
        "cv_std",
        "fit_time",
        "n_folds",
        "is_default",
        "is_best",
        "tied_with_best",
    ]
    assert (frame["n_folds"] == 5).all()
    assert frame.loc[frame["is_default"], "value"].item() == 5
    assert ex.best == frame.loc[frame["cv_mean"].idxmax(), "value"]
    assert frame["train_mean"].iloc[0] == 1.0  # one neighbour: itself
    assert METHOD in ex.verdict_text()
    assert ex.summary.shape.shape in ("down", "too noisy to tell")
    assert ex.summary.prediction_score["best_hit"] is True  # 5 is best or tied
    assert ex.prediction == Prediction("down", 5, None)


def test_fold_scores_are_exactly_cross_validation_on_the_paired_folds(knn_sweep):
    data = load("iris")
    recipe = make_recipe(data, model="knn", params={"n_neighbors": 61})
    X, y = prepare_frame(recipe, data.frame)
    X_train, _, y_train, _ = split(recipe, X, y)
    X_train, y_train = X_train.reset_index(drop=True), np.asarray(y_train)
    expected = []
    for train, test in paired_folds(recipe, X_train, y_train, 1):
        model = build_pipeline(recipe).fit(X_train.iloc[train], y_train[train])
        expected.append(float(np.mean(model.predict(X_train.iloc[test]) == y_train[test])))
    assert knn_sweep.points[2].test["accuracy"] == expected


def test_plot_html_and_json(knn_sweep):
    figure = knn_sweep.plot()
    [axes] = figure.axes
    labels = axes.get_legend_handles_labels()[1]
    assert {"train", "validation (CV)", "default", "best", "your prediction: down"} <= set(labels)
    assert axes.get_xscale() == "log"
    page = knn_sweep._repr_html_()
    assert "<table" in page
    assert "data:image/png;base64," in page
    data = knn_sweep.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["method"] == METHOD
    assert data["points"][1]["value"] == 5
    assert data["prediction_score"]["best_hit"] is True
    assert "n_neighbors" in repr(knn_sweep)


def test_local_processes_give_exactly_the_same_numbers(knn_sweep):
    parallel = tinker(
        "iris",
        "n_neighbors",
        [1, 5, 61],
        model="knn",
        predict="down",
        predict_best=5,
        repeats=1,
        n_jobs=2,
    )
    assert parallel.engine == "local (2 processes)"
    # Exact across processes: same machine, one thread per fit, kNN votes (no BLAS sums).
    a, b = knn_sweep.frame.drop(columns="fit_time"), parallel.frame.drop(columns="fit_time")
    assert a.equals(b)
    assert [p.test for p in parallel.points] == [p.test for p in knn_sweep.points]


@pytest.mark.parametrize(
    ("knob", "values", "options"),
    [
        ("train_size", [0.2, 1.0], {"model": "knn"}),
        ("label_noise", [0.0, 0.4], {"model": "knn"}),
        ("feature_noise", [0.0, 2.0], {"model": "knn"}),
        ("scaling", None, {"model": "knn"}),
        ("test_size", [0.2, 0.4], {"model": "knn"}),
        ("model", ["knn", "naive_bayes", "dummy"], {}),
        ("features", None, {"model": "naive_bayes"}),
        ("features", None, {"model": "naive_bayes", "mode": "add-one"}),
        ("seed", [0, 1, 2], {"model": "random_forest", "params": {"n_estimators": 5}}),
        ("weights", None, {"model": "knn"}),
    ],
)
def test_every_kind_of_knob_runs(knob, values, options):
    ex = tinker("iris", knob, values, **options, **FAST)
    frame = ex.frame
    assert len(frame) >= 2
    assert np.isfinite(frame["cv_mean"]).all()
    assert ex.best in list(frame["value"])
    assert list(frame["value"]) == list(ex.sweep.values)


def test_the_knobs_do_what_they_say():
    noise = tinker("iris", "label_noise", [0.0, 0.8], model="knn", **FAST)
    assert noise.frame["cv_mean"].iloc[1] < noise.frame["cv_mean"].iloc[0] - 0.3
    assert noise.summary.shape.shape == "down"
    curve = tinker("iris", "train_size", [0.1, 1.0], model="knn", **FAST)
    assert curve.points[0].n_train < 0.2 * curve.points[1].n_train
    models = tinker("iris", "model", ["knn", "dummy"], **FAST)
    assert models.best == "knn"
    assert models.summary.verdict is None  # knn is the default (reference) and the best
    assert models.summary.shape.shape == "differs"


def test_regression_with_an_error_metric():
    ex = tinker("diabetes", "alpha", [0.01, 1000.0], model="ridge", metric="rmse", **FAST)
    assert not ex.higher_is_better
    assert ex.best == ex.frame.loc[ex.frame["cv_mean"].idxmin(), "value"]
    r2 = tinker("diabetes", "label_noise", [0.0, 1.0], model="ridge", **FAST)
    assert r2.metric.name == "r2"
    assert r2.frame["train_mean"].iloc[1] < r2.frame["train_mean"].iloc[0]


def test_scratch_twin_and_its_own_knob():
    ex = tinker(
        "iris", "learning_rate", [0.01, 0.5], model="logistic_regression", impl="scratch", **FAST
    )
    assert ex.recipe.impl == "scratch"
    assert np.isfinite(ex.frame["cv_mean"]).all()


def test_values_as_a_string():
    assert tinker("iris", "n_neighbors", "1,9", model="knn", **FAST).sweep.values == (1, 9)
    ranged = tinker("iris", "n_neighbors", "1:9", model="knn", steps=3, **FAST)
    assert ranged.sweep.values == (1, 3, 9)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"predict": "sideways"}, InputError, "predict option of tl.tinker must be one of 'up'"),
        ({"predict_best": "many"}, InputError, "best-value guess for 'n_neighbors' is a number"),
        ({"predict_score": "high"}, InputError, "predict_score option .* must be a number. Got"),
        ({"metric": "precision@5"}, RecipeError, "Unknown metric 'precision@5'"),
        ({"repeats": 0}, InputError, r"repeats option .* int in the range \[1, 50\]\. Got 0"),
        ({"n_jobs": 0}, InputError, r"n_jobs option of tl.tinker must be an int .* n_jobs=2"),
    ],
)
def test_bad_options_fail_before_anything_runs(options, error, message, memory_store):
    options = {"repeats": 1, "n_jobs": 1, **options}
    with pytest.raises(error, match=message):
        tinker("iris", "n_neighbors", [1, 5], model="knn", store=memory_store, **options)
    assert memory_store.calls == []


def test_unordered_knobs_take_flat_or_differs(memory_store):
    with pytest.raises(InputError, match="one of flat, differs"):
        tinker("iris", "model", ["knn", "svm"], predict="up", store=memory_store, **FAST)
    with pytest.raises(InputError, match="not one of the values swept: knn, svm"):
        tinker("iris", "model", ["knn", "svm"], predict_best="tree", store=memory_store, **FAST)
    assert memory_store.calls == []


def test_a_metric_some_value_cannot_score():
    with pytest.raises(RecipeError, match="cannot score svm"):
        tinker("iris", "model", ["knn", "svm"], metric="roc_auc", **FAST)


def test_the_ask_callback_gets_the_plan_before_anything_runs():
    seen = []

    def ask(sweep):
        seen.append(sweep.values)
        return Prediction(shape="down", best="5")

    ex = tinker("iris", "n_neighbors", [1, 5, 61], model="knn", ask=ask, **FAST)
    assert seen == [(1, 5, 61)]
    assert ex.prediction == Prediction("down", 5, None)


def test_points_reach_the_store_as_they_finish(memory_store):
    ex = tinker(
        "iris", "n_neighbors", [1, 5], model="knn", store=memory_store, predict="up", **FAST
    )
    assert memory_store.calls == ["start", "point 0", "point 1", "finish"]
    stored = memory_store.experiments[ex.id]
    assert stored["spec"]["values"] == [1, 5]
    assert stored["prediction"]["shape"] == "up"
    assert set(stored["plots"]) == {"curve.png", "curve.svg"}
    assert stored["plots"]["curve.png"].startswith(b"\x89PNG")
    assert stored["summary"]["method"] == METHOD
    assert stored["score"]["observed_shape"] == ex.summary.shape.shape
    json.dumps(stored["spec"])


def test_interrupted_then_resumed_fits_only_what_is_missing(memory_store):
    values = [1, 3, 5, 9]

    def stop_after_two(done, total, what):
        if done >= 10:  # two points of five folds
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as caught:
        tinker(
            "iris",
            "n_neighbors",
            values,
            model="knn",
            store=memory_store,
            progress=stop_after_two,
            predict="down",
            fast=False,  # value by value, so points land one at a time
            **FAST,
        )
    experiment_id = caught.value.experiment_id
    assert caught.value.done == 2
    assert memory_store.experiments[experiment_id]["status"] == "interrupted"
    assert memory_store.calls == ["start", "point 0", "point 1", "interrupted"]

    fits = []
    finished = resume(
        memory_store.entry(experiment_id),
        store=memory_store,
        n_jobs=1,
        progress=lambda done, total, what: fits.append(done),
    )
    assert memory_store.calls[-3:] == ["point 2", "point 3", "finish"]
    assert fits[0] == 10  # it started from the two finished points
    assert fits[-1] == 20
    whole = tinker("iris", "n_neighbors", values, model="knn", predict="down", **FAST)
    assert finished.frame.drop(columns="fit_time").equals(whole.frame.drop(columns="fit_time"))
    assert finished.id == experiment_id
    assert finished.prediction == whole.prediction


@pytest.mark.parametrize(
    ("name", "model", "knob", "values"),
    [
        ("iris", "knn", "n_neighbors", [1, 4, 15, 40]),
        ("wine", "random_forest", "n_estimators", [1, 5, 20]),
        ("diabetes", "gradient_boosting", "max_iter", [2, 10, 30]),
    ],
)
def test_the_fast_path_through_the_engine_equals_fitting_each_value(
    name, model, knob, values, memory_store
):
    fast = tinker(name, knob, values, model=model, store=memory_store, **FAST)
    naive = tinker(name, knob, values, model=model, fast=False, **FAST)
    assert [p.test for p in fast.points] == [p.test for p in naive.points]
    assert [p.train for p in fast.points] == [p.train for p in naive.points]
    assert fast.frame.drop(columns="fit_time").equals(naive.frame.drop(columns="fit_time"))
    assert any(n.startswith("Fast exact path:") for n in fast.notices)
    assert not any(n.startswith("Fast exact path:") for n in naive.notices)
    points = [f"point {i}" for i in range(len(values))]
    assert memory_store.calls == ["start", *points, "finish"]  # every point committed


def test_an_interrupted_fast_sweep_keeps_only_whole_points_and_resumes(memory_store):
    values = [1, 5, 25]

    def stop_mid_fold(done, total, what):
        if done >= 7:  # two of five folds scored every value, the third has begun
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as caught:
        tinker(
            "iris",
            "n_neighbors",
            values,
            model="knn",
            store=memory_store,
            progress=stop_mid_fold,
            **FAST,
        )
    experiment_id = caught.value.experiment_id
    assert caught.value.done == 0  # a point is whole only once every fold has scored it
    assert memory_store.calls == ["start", "interrupted"]
    finished = resume(memory_store.entry(experiment_id), store=memory_store, n_jobs=1)
    whole = tinker("iris", "n_neighbors", values, model="knn", fast=False, **FAST)
    assert [p.test for p in finished.points] == [p.test for p in whole.points]
