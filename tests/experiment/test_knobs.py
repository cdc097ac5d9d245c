"""Planning a sweep: values from lists, ranges and defaults, every knob kind, every error."""

from __future__ import annotations

import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment import PARAM_SWEEPS, SPECIAL_KNOBS, plan_sweep, valid_knobs
from tinkerlab.recipe import MODELS, make_recipe


@pytest.fixture(scope="module")
def iris():
    return load("iris")


@pytest.fixture(scope="module")
def knn(iris):
    return make_recipe(iris, model="knn")


@pytest.fixture(scope="module")
def tree(iris):
    return make_recipe(iris, model="decision_tree")


def test_int_range_on_the_knobs_log_scale(knn):
    sweep = plan_sweep(knn, "n_neighbors", span="1:50", steps=5)
    assert sweep.values == (1, 3, 7, 19, 50)
    assert sweep.scale == "log"
    assert sweep.ordered
    assert [p.recipe.params["n_neighbors"] for p in sweep.points] == [1, 3, 7, 19, 50]
    assert sweep.default == 5
    assert sweep.points[sweep.reference].value == 7  # nearest to 5 on the log axis
    assert "nearest the default (5)" in sweep.reference_reason


def test_linear_range_and_explicit_scale(knn):
    assert plan_sweep(knn, "n_neighbors", span="1:9", steps=5, scale="linear").values == (
        1,
        3,
        5,
        7,
        9,
    )
    assert plan_sweep(knn, "n_neighbors", span=(1, 9), steps=3, scale="linear").values == (1, 5, 9)


def test_values_as_text_or_python_are_checked_and_sorted(tree):
    sweep = plan_sweep(tree, "max_depth", ["8", "2", "4"])
    assert sweep.values == (2, 4, 8)
    assert [p.label for p in sweep.points] == ["2", "4", "8"]
    sweep = plan_sweep(tree, "max_depth", range(1, 4))
    assert sweep.values == (1, 2, 3)
    # the default (None, unlimited depth) is not a number on the axis: compare with the first
    assert sweep.reference == 0
    assert "the default, none, is not swept" in sweep.reference_reason


def test_duplicates_are_run_once_with_a_notice(tree):
    sweep = plan_sweep(tree, "max_depth", [3, 3, 5])
    assert sweep.values == (3, 5)
    assert any("given twice" in n for n in sweep.notices)


def test_default_sweeps_come_from_the_table_or_the_registry(knn, tree):
    assert plan_sweep(tree, "max_depth").values == (1, 3, 5, 7, 9, 12, 14, 16, 18, 20)
    assert PARAM_SWEEPS["max_depth"] == (1, 20, 10)
    assert plan_sweep(knn, "weights").values == ("uniform", "distance")
    assert plan_sweep(tree, "criterion").values == ("gini", "entropy", "log_loss")
    forest = make_recipe(load("iris"), model="random_forest")
    assert plan_sweep(forest, "max_features").values == ("sqrt", "log2", None)
    linear = make_recipe(load("diabetes"), model="linear_regression")
    assert plan_sweep(linear, "fit_intercept").values == (True, False)
    # a choice knob has no order: no curve shape, the values keep their order
    assert not plan_sweep(knn, "weights").ordered


def test_every_registry_knob_has_a_default_sweep():
    for spec in MODELS.values():
        for task in spec.tasks:
            recipe = make_recipe(
                load("iris" if task == "classification" else "diabetes"), model=spec.name
            )
            for knob in spec.knobs_for(task):
                sweep = plan_sweep(recipe, knob.name)
                assert len(sweep.values) >= 2, (spec.name, knob.name)


def test_scratch_only_knob(iris):
    scratch = make_recipe(iris, model="logistic_regression", impl="scratch")
    sweep = plan_sweep(scratch, "learning_rate", span="0.01:1", steps=3)
    assert sweep.values == (0.01, 0.1, 1.0)
    plain = make_recipe(iris, model="logistic_regression")
    with pytest.raises(RecipeError) as caught:
        plan_sweep(plain, "learning_rate", span="0.01:1")
    assert "It is a knob of our from-scratch twin of logistic_regression" in str(caught.value)
    assert str(caught.value).endswith("Fix: impl='scratch', knob='learning_rate'")


def test_special_knobs(knn):
    assert plan_sweep(knn, "train_size").values[-1] == 1.0
    sizes = plan_sweep(knn, "train_size", span="0.2:1.0", steps=5)
    assert sizes.values == (0.2, 0.4, 0.6, 0.8, 1.0)
    assert [p.train_fraction for p in sizes.points] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert sizes.points[sizes.reference].value == 1.0
    noise = plan_sweep(knn, "label_noise")
    assert noise.values == (0.0, 0.1, 0.2, 0.3, 0.4)
    assert noise.points[2].label_noise == 0.2
    assert plan_sweep(knn, "feature_noise", [0, 1]).points[1].feature_noise == 1.0
    tests = plan_sweep(knn, "test_size", [0.1, 0.3])
    assert [p.test_size for p in tests.points] == [0.1, 0.3]
    assert tests.points[tests.reference].value == pytest.approx(0.3)  # nearest to 0.2


def test_seed_knob_changes_the_models_seed_only(iris):
    forest = make_recipe(iris, model="random_forest", seed=3)
    sweep = plan_sweep(forest, "seed")
    assert sweep.values == (3, 4, 5, 6, 7)
    assert [p.recipe.model_params()["random_state"] for p in sweep.points] == [3, 4, 5, 6, 7]
    assert sweep.points[sweep.reference].value == 3


def test_features_drop_one_and_add_one(iris):
    recipe = make_recipe(iris, model="knn")
    drop = plan_sweep(recipe, "features")
    assert drop.values[0] is None
    assert drop.labels[0] == "(all)"
    assert drop.labels[1] == f"without {recipe.features[0]}"
    assert recipe.features[0] not in drop.points[1].recipe.features
    assert len(drop.points[1].recipe.features) == len(recipe.features) - 1
    add = plan_sweep(recipe, "features", [recipe.features[2]], mode="add-one")
    assert add.labels == ["(none)", f"only {recipe.features[2]}"]
    assert add.points[0].recipe.model == "dummy"
    assert add.points[1].recipe.features == [recipe.features[2]]
    assert add.mode == "add-one"
    assert not add.ordered


def test_model_and_scaling_knobs(iris):
    recipe = make_recipe(iris, model="knn", params={"n_neighbors": 3})
    models = plan_sweep(recipe, "model", ["knn", "svm", "naive_bayes"])
    assert [p.recipe.model for p in models.points] == ["knn", "svm", "naive_bayes"]
    assert models.points[0].recipe.params == {"n_neighbors": 3}
    assert models.points[1].recipe.params == {}
    assert any("apply to knn only" in n for n in models.notices)
    assert "dummy" in plan_sweep(recipe, "model").values
    scaling = plan_sweep(recipe, "scaling")
    assert scaling.values == ("on", "off")
    assert [p.recipe.preprocessing.scale for p in scaling.points] == ["standard", "none"]
    assert scaling.points[scaling.reference].value == "on"  # knn scales by default


def test_unknown_knob_lists_the_valid_ones_with_the_special_knobs(knn):
    with pytest.raises(RecipeError) as caught:
        plan_sweep(knn, "max_dept")
    message = str(caught.value)
    assert message.startswith("'max_dept' is not a knob of knn, the model chosen.")
    assert "Did you mean 'max_depth'? 'max_depth' is a knob of decision_tree" in message
    assert message.endswith("Fix: model='decision_tree', knob='max_depth'")
    assert valid_knobs(knn)[-len(SPECIAL_KNOBS) :] == list(SPECIAL_KNOBS)


def test_a_knob_of_another_model_says_whose_it_is(knn):
    with pytest.raises(RecipeError, match=r"'max_depth' is a knob of decision_tree, random_forest"):
        plan_sweep(knn, "max_depth", [1, 2])


def test_an_unknown_knob_with_no_owner_lists_this_models_knobs(knn):
    with pytest.raises(RecipeError) as caught:
        plan_sweep(knn, "n_neighbours_x")
    message = str(caught.value)
    assert "Its knobs: n_neighbors, weights, p, train_size, features, model, seed" in message


def test_a_knob_of_another_model_is_found_among_scratch_twins_of_this_task():
    # Random forest has a twin for classification only: asking it for its regression
    # twin's knobs must not stop the search for the model that owns max_depth.
    diabetes = make_recipe(load("diabetes"), model="knn", impl="scratch")
    with pytest.raises(RecipeError, match=r"'max_depth' is a knob of decision_tree"):
        plan_sweep(diabetes, "max_depth", [1, 2])


@pytest.mark.parametrize(
    ("knob", "kwargs", "message"),
    [
        ("n_neighbors", {"values": [0, 5]}, r"must be an int in \[1, 10000\]\. Got 0"),
        ("n_neighbors", {"span": "1:20000"}, r"must be an int in \[1, 10000\]\. Got 20000"),
        ("n_neighbors", {"values": ["many"]}, r"Got 'many'"),
        ("train_size", {"values": [0, 0.5]}, r"'train_size' knob must be a number in \(0, 1\]"),
        ("label_noise", {"span": "0:2"}, r"'label_noise' knob must be a number in \[0, 1\]"),
        ("test_size", {"values": [0.9, 0.2]}, r"in \[0.05, 0.5\]\. Got 0.9"),
        ("weights", {"values": ["far"]}, r"must be one of 'uniform', 'distance'"),
        ("scaling", {"values": ["maybe"]}, r"must be on or off"),
        ("model", {"values": ["knn", "deep_net"]}, r"Unknown model 'deep_net'"),
        ("features", {"values": ["petal"]}, r"Column 'petal' is not a feature"),
    ],
)
def test_values_out_of_range_say_the_range(knn, knob, kwargs, message):
    with pytest.raises(RecipeError, match=message):
        plan_sweep(knn, knob, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [5]}, "at least two values of 'n_neighbors'"),
        ({"values": [5, 5]}, "at least two values"),
        ({"span": "5:5"}, "from low to high"),
        ({"span": "1:9", "steps": 1}, r"steps must be an int in \[2, 200\]\. Got 1 .* steps=8"),
        ({"span": "a:b"}, "A range looks like LOW:HIGH"),
        ({"values": [1, 2], "span": "1:2"}, "not both"),
    ],
)
def test_a_sweep_needs_two_values(knn, kwargs, message):
    with pytest.raises(RecipeError, match=message):
        plan_sweep(knn, "n_neighbors", **kwargs)


def test_knobs_that_do_not_apply(iris, knn):
    with pytest.raises(RecipeError, match="seed knob does not apply to k-nearest neighbours"):
        plan_sweep(knn, "seed")
    reviews = load("reviews")  # text only: no numeric column to scale or add noise to
    text = make_recipe(reviews, model="logistic_regression")
    assert not text.numeric
    with pytest.raises(RecipeError, match="feature_noise knob does not apply"):
        plan_sweep(text, "feature_noise")
    with pytest.raises(RecipeError, match="scaling knob does not apply"):
        plan_sweep(text, "scaling")
    with pytest.raises(RecipeError, match="only applies to the features knob"):
        plan_sweep(knn, "n_neighbors", [1, 2], mode="add-one")
    with pytest.raises(RecipeError, match="takes column names, not a range"):
        plan_sweep(knn, "features", span="1:2")
    with pytest.raises(RecipeError, match="log scale, which cannot start at 0"):
        plan_sweep(make_recipe(iris, model="ridge"), "alpha", span="0:10")


def test_n_neighbors_cannot_exceed_a_training_fold(knn):
    with pytest.raises(RecipeError, match="at most the 96 rows of a training fold"):
        plan_sweep(knn, "n_neighbors", [5, 200], fold_rows=96)


@pytest.mark.parametrize(
    ("kind", "low", "high", "value", "nearest"),
    [("int", 1, 100, 0, 1), ("int", 1, 100, 500, 100), ("int", 1, 100, 2.6, 3),
     ("float", 1e-6, 1e6, -1.0, 1e-6), ("float", 0.0, 1.0, 2.0, 1.0)],
)  # fmt: skip
def test_a_knobs_nearest_allowed_value(kind, low, high, value, nearest):
    from tinkerlab.recipe.models import Knob

    knob = Knob("k", kind, 5 if kind == "int" else 0.5, "help", low=low, high=high)
    assert knob.nearest(value) == nearest
    assert knob.nearest("abc") == knob.sample


def test_fold_warnings_are_counted_once_per_value():
    """A solver warning raised on every fold reads as one line per value, with a count."""
    from tinkerlab.experiment import tinker

    ex = tinker(
        "iris", "max_iter", [2, 3], model="logistic_regression", impl="scratch", repeats=1, n_jobs=1
    )
    lines = [n for n in ex.notices if "ConvergenceWarning" in n]
    assert len(lines) == 2, lines  # one per value, not one per fold
    assert all("(×" in line for line in lines)  # counted, not repeated
