"""Search over several knobs: the settings, the race, the lead test, the journal record.

Parity: with racing off, the best setting is the one an exhaustive ``cross_val_score``
over the same grid and the same paired folds picks, with the same mean; with racing on,
the settings that reach the last rung are the ones scikit-learn's
``HalvingGridSearchCV`` keeps when run on its own with the same folds and seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import InputError, RecipeError
from tinkerlab.experiment import search
from tinkerlab.experiment._search_plan import draw, grid, read_knobs
from tinkerlab.experiment._stats import corrected_resampled_ttest
from tinkerlab.recipe import make_recipe

SVM = {"model": "svm", "knobs": {"C": (0.1, 100), "gamma": (1e-3, 1)}, "steps": 4}


def _training(dataset: str, model: str):
    """The recipe, training split and paired folds a search on *dataset* uses."""
    from tinkerlab.experiment._folds import paired_folds
    from tinkerlab.runner import prepare_frame, split

    data = load(dataset)
    recipe = make_recipe(data, model=model)
    X, y = prepare_frame(recipe, data.frame)
    X_train, _, y_train, _ = split(recipe, X, y)
    X_train = X_train.reset_index(drop=True)
    return recipe, X_train, np.asarray(y_train), paired_folds(recipe, X_train, y_train, 1)


def test_a_range_is_spaced_by_the_knobs_own_scale():
    recipe = make_recipe(load("iris"), model="svm")
    axes = read_knobs(recipe, {"C": "0.1:100", "kernel": "rbf,linear"})
    settings = grid(axes, steps=4)
    assert sorted({s["C"] for s in settings}) == [0.1, 1.0, 10.0, 100.0]  # log: C is log-scaled
    assert {s["kernel"] for s in settings} == {"rbf", "linear"}
    tree = make_recipe(load("iris"), model="decision_tree")
    linear = grid(read_knobs(tree, {"max_depth": (1, 31)}), steps=4)
    assert [s["max_depth"] for s in linear] == [1, 11, 21, 31]  # max_depth is linear


def test_random_settings_are_drawn_log_uniformly_and_repeat_with_the_seed():
    recipe = make_recipe(load("iris"), model="svm")
    axes = read_knobs(recipe, {"C": (0.01, 100), "kernel": ["rbf", "linear"]})
    drawn = draw(axes, 200, seed=3)
    assert drawn == draw(axes, 200, seed=3)
    assert drawn != draw(axes, 200, seed=4)
    C = np.array([s["C"] for s in drawn])
    assert C.min() >= 0.01
    assert C.max() <= 100
    below = float(np.mean(C < 1.0))  # the middle of 0.01..100 on a log axis
    assert 0.35 < below < 0.65  # uniform on a linear axis would put 1% below 1.0


def test_without_racing_the_best_is_what_an_exhaustive_cross_validation_picks():
    from sklearn.model_selection import cross_val_score

    from tinkerlab.recipe import build_pipeline

    found = search("wine", race=False, n_jobs=1, **SVM)
    recipe, X, y, folds = _training("wine", "svm")
    means = []
    for c in found.candidates:
        pipeline = build_pipeline(recipe.with_changes(params=c.params))
        scores = cross_val_score(pipeline, X, y, cv=folds, scoring="accuracy")
        np.testing.assert_allclose(c.scores, scores, rtol=0, atol=1e-12)
        means.append(scores.mean())
    best = int(np.argmax(means))  # the first of the best, as GridSearchCV's rank 1
    assert found.best_params == found.candidates[best].params
    assert np.mean(found.best_scores) == pytest.approx(means[best], abs=1e-12)
    assert found.racing == ""
    assert len(found.candidates) == 16


def test_racing_keeps_the_settings_halving_grid_search_keeps():
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    from tinkerlab.recipe import build_pipeline

    found = search("wine", n_jobs=1, **SVM)
    recipe, X, y, folds = _training("wine", "svm")
    grid_list = [{f"model__{k}": [v] for k, v in c.params.items()} for c in found.candidates]
    reference = HalvingGridSearchCV(
        build_pipeline(recipe), grid_list, factor=3, cv=folds, scoring="accuracy",
        min_resources="exhaust", random_state=recipe.seed, refit=False,
    ).fit(X, y)  # fmt: skip
    last = reference.cv_results_["iter"] == reference.n_iterations_ - 1
    kept = [reference.cv_results_["params"][i] for i in np.flatnonzero(last)]
    ours = [c.params for c in found.candidates if c.rung == reference.n_iterations_ - 1]
    assert sorted(map(str, ({k[7:]: v for k, v in p.items()} for p in kept))) == sorted(
        map(str, ours)
    )
    assert found.racing.startswith("successive halving")
    assert found.best_params in ours  # the best comes from the last rung
    dropped = [c for c in found.candidates if c.rung < reference.n_iterations_ - 1]
    assert dropped
    assert all(c.rows < found.n_train for c in dropped)


def test_the_lead_is_the_corrected_t_test_of_best_against_runner_up():
    found = search("iris", model="knn", knobs={"n_neighbors": (1, 40)}, steps=6, n_jobs=1)
    assert found.best is not None
    assert found.runner_up is not None
    lead = corrected_resampled_ttest(
        found.best_scores, found.runner_up_scores, found.n_train, len(load("iris").frame) // 6
    )
    assert found.lead is not None
    assert found.lead.mean_diff == pytest.approx(lead.mean_diff)
    assert found.lead.mean_diff >= 0  # the best is the better one on every full fold
    assert ("real lead" in found.verdict_text()) == found.lead.significant()
    assert set(found.test_scores) == {"accuracy"}


def test_the_search_is_recorded_as_an_experiment_and_reads_back(tmp_path):
    from tinkerlab.journal import Journal

    with Journal(f"sqlite:///{tmp_path / 'j.sqlite'}") as journal:
        found = search("iris", model="knn", knobs={"n_neighbors": "1,5,15", "weights":
                       "uniform,distance"}, n_jobs=1, store=journal)  # fmt: skip
        entry = journal.get_experiment(found.id)
    assert entry.status == "finished"
    assert entry.spec["kind"] == "search"
    assert entry.knob == "n_neighbors,weights"
    assert [p.value for p in entry.points] == [c.params for c in found.candidates]
    for point, c in zip(entry.points, found.candidates, strict=True):
        stored = [s for s in point.test["accuracy"] if s is not None]
        np.testing.assert_allclose(stored, c.scores)
    summary = entry.summary
    assert summary["best"] == summary["best_label"] == found.candidates[found.best].label
    assert summary["script"] == found.script()
    assert summary["lead"]["p_value"] == pytest.approx(found.lead.p_value)
    assert summary["chart"]["layer"][0]["mark"]["type"] == "rect"  # two knobs: a heat map


@pytest.mark.parametrize(
    ("knobs", "words"),
    [
        ({"Cx": (1, 3)}, "has no knob 'Cx' (did you mean 'C'?)"),
        ({"C": (100, 1)}, "A range goes from low to high"),
        ({"C": "abc"}, "Got 'abc' instead"),
        ({"kernel": (0, 1)}, "a range needs a number knob"),
        ({"kernel": ["rbf"]}, "at least one knob with two values or a range"),
        ({"C": (-1, 3)}, "must be a float in [1e-06, 1e+06]. Got -1"),
    ],
)
def test_bad_knobs_are_refused_before_any_fit_with_the_fix(knobs, words):
    with pytest.raises(RecipeError, match="Fix: ") as caught:
        search("iris", model="svm", knobs=knobs)
    assert words in str(caught.value)


def test_bad_options_are_refused_by_the_declarations():
    with pytest.raises(InputError, match="knobs"):
        search("iris", model="svm", knobs="C")
    with pytest.raises(RecipeError, match="strategy='random'"):
        search("iris", model="svm", knobs={"C": (1, 10)}, candidates=5)


def test_more_than_two_knobs_draw_parallel_coordinates():
    found = search(
        "iris", model="random_forest", strategy="random", candidates=6, n_jobs=1,
        knobs={"max_depth": (1, 6), "min_samples_leaf": (1, 10), "n_estimators": (5, 20)},
    )  # fmt: skip
    spec = found.chart().to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "circle"]
    assert len(spec["data"]["values"]) == 3 * len([c for c in found.candidates if c.scores])
    assert not math.isnan(found.test_scores["accuracy"])


@pytest.mark.slow
def test_a_dask_cluster_gives_exactly_the_local_results():
    from distributed import LocalCluster

    options = {"model": "knn", "knobs": {"n_neighbors": "1,5,9,15", "p": "1,2"}}
    local = search("iris", n_jobs=1, **options)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = search("iris", cluster=cluster.scheduler_address, **options)
    assert remote.engine.startswith(f"dask {cluster.scheduler_address}")
    assert [c.scores for c in remote.candidates] == [c.scores for c in local.candidates]
    assert remote.best_params == local.best_params
    assert remote.best_scores == local.best_scores
