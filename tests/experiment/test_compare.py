"""compare(): every model on the same paired folds, within a budget, ties with the best marked."""

from __future__ import annotations

import math
import multiprocessing
from types import SimpleNamespace

import numpy as np
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import RecipeError, UsageError
from tinkerlab.experiment import _compare as cmp
from tinkerlab.experiment import indistinguishable_from_best, paired_folds
from tinkerlab.experiment._compare import compare
from tinkerlab.recipe import build_pipeline, make_recipe
from tinkerlab.runner import prepare_frame, split

IRIS_MODELS = ["dummy", "knn", "naive_bayes"]


@pytest.fixture(scope="module")
def iris_comparison():
    return compare("iris", budget=60, models=IRIS_MODELS, cv=4, repeats=1, n_jobs=2)


def test_the_leaderboard_ranks_every_model_and_marks_ties(iris_comparison):
    c = iris_comparison
    assert [r.status for r in c.results] == ["done"] * 3
    means = [r.mean("accuracy") for r in c.results]
    assert means == sorted(means, reverse=True)
    assert c.results[-1].model == "dummy"
    assert c.best in ("knn", "naive_bayes")
    assert c.results[0].tied_with_best
    assert not c.results[-1].tied_with_best  # a third of the answers right is worse, for sure
    # The marks are the corrected resampled t-test on the reported fold scores.
    scores = {r.model: r.scores["accuracy"] for r in c.results}
    expected = indistinguishable_from_best(scores, round(c.n_train), round(c.n_test))
    assert {r.model: r.tied_with_best for r in c.results} == expected
    assert all(r.folds_done == 4 and r.fit_time > 0 and r.predict_time > 0 for r in c.results)
    assert "accuracy" in c.test_scores  # the best, fitted once, scored on the test split
    assert c.test_rows == 30


def test_every_model_is_scored_on_the_same_folds_as_plain_scikit_learn(iris_comparison):
    """Parity: each model's fold scores are cross_val_score on the paired folds."""
    from sklearn.model_selection import cross_val_score

    dataset = load("iris")
    recipe = make_recipe(dataset, cv_folds=4)
    X, y = prepare_frame(recipe, dataset.frame)
    X_train, _, y_train, _ = split(recipe, X, y)
    folds = paired_folds(recipe, X_train, y_train, repeats=1)
    for r in iris_comparison.results:
        pipeline = build_pipeline(make_recipe(dataset, model=r.model, cv_folds=4))
        expected = cross_val_score(pipeline, X_train, y_train, cv=folds, scoring="accuracy")
        # Exact: accuracy counts equal labels; worker threads could only move a row lying
        # within rounding error of a decision boundary, which iris's rows do not.
        assert r.scores["accuracy"] == list(expected), r.model


def test_json_frame_and_text(iris_comparison):
    data = iris_comparison.to_dict()
    assert data["best"] == iris_comparison.best
    assert [row["model"] for row in data["leaderboard"]] == [
        r.model for r in iris_comparison.results
    ]
    assert data["method"].startswith("corrected resampled t-test")
    assert data["leaderboard"][0]["rank"] == 1
    assert len(data["leaderboard"][0]["scores"]["accuracy"]["folds"]) == 4
    frame = iris_comparison.frame
    assert list(frame["model"]) == [r.model for r in iris_comparison.results]
    assert "Best:" in iris_comparison.verdict_text()
    assert "<table>" in iris_comparison._repr_html_()


@pytest.mark.slow
def test_a_slow_model_is_stopped_not_waited_for():
    """SVR on 43 000 diamonds takes minutes: it is killed when the budget runs out."""
    result = compare("diamonds", budget=6, models=["dummy", "svm"], cv=3, n_jobs=2)
    by_model = {r.model: r for r in result.results}
    assert by_model["dummy"].status == "done"
    assert by_model["svm"].status == "timed out"
    assert "budget ran out" in by_model["svm"].message
    assert result.best == "dummy"
    assert result.elapsed < 30  # the budget, start-up and one test fit of the dummy
    assert not multiprocessing.active_children()  # no worker outlives the comparison


def test_a_model_over_its_share_is_stopped_only_while_others_wait():
    scheduler = cmp._Scheduler([], budget=10, timeout=None, workers=1, progress=None, context=None)
    scheduler.share = 2.0
    running = SimpleNamespace(ended=False, started=0.0)
    scheduler.queue = [object()]  # another model waits
    assert "its share" in scheduler._stop_reason(running, now=3.0, end=10.0)
    scheduler.queue = []  # nothing waits: it may use the rest of the budget
    assert scheduler._stop_reason(running, now=3.0, end=10.0) == ""
    assert "budget ran out" in scheduler._stop_reason(running, now=10.0, end=10.0)
    scheduler.timeout = 1.0  # a hard time-out applies regardless
    assert "time-out" in scheduler._stop_reason(running, now=3.0, end=10.0)


def test_a_model_that_cannot_fit_reports_the_error():
    """The worker itself: an error becomes a message, not a crash of the comparison."""
    dataset = load("iris")
    recipe = make_recipe(dataset, model="knn", cv_folds=2)
    X = dataset.frame[list(recipe.features)].copy()
    X[X.columns[0]] = "not a number"  # a column a numeric imputer cannot take
    job = cmp._Job(
        model="knn",
        recipe=recipe,
        X=X,
        y=np.asarray(dataset.frame[recipe.target]),
        folds=tuple(paired_folds(recipe, X, dataset.frame[recipe.target], 1)),
        metrics=(("accuracy", "accuracy", 1),),
        threads=1,
    )
    parent, child = multiprocessing.Pipe(duplex=False)
    cmp._work(child, job)
    kind, message = parent.recv()
    assert kind == "error"
    assert "ValueError" in message


def test_recorded_as_an_experiment_whose_knob_is_model(memory_store):
    result = compare(
        "wine", budget=60, models=["dummy", "naive_bayes"], cv=3, store=memory_store, n_jobs=2
    )
    assert result.id == 1
    experiment = memory_store.experiments[1]
    assert experiment["knob"] == "model"
    assert experiment["spec"]["kind"] == "compare"
    assert experiment["status"] == "finished"
    assert experiment["summary"]["best"] == experiment["spec"]["values"].index(result.best)
    assert "leaderboard.png" in experiment["plots"]
    points = memory_store.points[1]
    assert sorted(p["value"] for p in points) == ["dummy", "naive_bayes"]
    assert all(len(p["test"]["accuracy"]) == 3 for p in points)


def test_recorded_in_a_real_journal(tmp_path):
    from tinkerlab.journal import Journal

    with Journal(f"sqlite:///{tmp_path / 'j.sqlite'}") as journal:
        result = compare("wine", budget=60, models=["dummy", "ridge"], cv=3, store=journal)
        stored = journal.get_experiment(result.id)
    assert stored.status == "finished"
    assert [p.value for p in stored.points] == ["dummy", "ridge"]
    assert result.plot_paths[0].read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"budget": 0}, UsageError, "budget must be a positive number"),
        ({"budget": -3}, UsageError, "budget must be a positive number"),
        ({"budget": math.nan}, UsageError, "budget must be a positive number"),
        ({"timeout": 0}, UsageError, "time-out must be a positive number"),
        ({"models": ["knn", "forest"]}, RecipeError, "Did you mean 'random_forest'"),
        ({"models": ["knn", "linear_regression"]}, RecipeError, "cannot do classification"),
        ({"models": ["knn"]}, RecipeError, "at least two models"),
        ({"models": []}, UsageError, "No models"),
        ({"metric": "rmse"}, RecipeError, "Unknown metric 'rmse'"),
        ({"n_jobs": 0}, UsageError, "positive int"),
    ],
)
def test_bad_input_is_refused_before_anything_runs(options, error, message, memory_store):
    with pytest.raises(error, match=message):
        compare("iris", store=memory_store, **options)
    assert memory_store.experiments == {}
