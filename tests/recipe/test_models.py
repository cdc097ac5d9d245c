"""The model registry: every row builds a working estimator, knobs check their ranges."""

from __future__ import annotations

import importlib

import pytest

from tinkerlab.exceptions import RecipeError
from tinkerlab.recipe import MODELS, get_model, parse_settings

REQUIRED = {
    "logistic_regression",
    "linear_regression",
    "ridge",
    "knn",
    "decision_tree",
    "random_forest",
    "extra_trees",
    "gradient_boosting",
    "svm",
    "naive_bayes",
    "dummy",
}


def test_registry_has_every_required_model():
    assert set(MODELS) >= REQUIRED


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_class_exists_and_accepts_every_knob_default(name):
    spec = MODELS[name]
    if spec.extra == "deep":  # the nets need torch and skorch (tests/nets skip without them)
        pytest.importorskip("skorch")
    for task, path in spec.classes.items():
        module, cls_name = path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), cls_name)
        params = cls().get_params()
        for knob in spec.knobs_for(task):
            assert knob.name in params, f"{path} has no parameter {knob.name}"
            assert knob.check(knob.default, spec.title) == knob.default
            assert knob.help.endswith("."), "each knob's help is one plain sentence"
        assert spec.is_seeded(task) == ("random_state" in params)


def test_unknown_model_lists_valid_ones_and_suggests():
    with pytest.raises(RecipeError, match="Did you mean 'random_forest'") as info:
        get_model("random_forrest")
    assert "logistic_regression" in str(info.value)


def test_model_for_wrong_task():
    with pytest.raises(RecipeError, match="cannot do regression"):
        get_model("logistic_regression", "regression")


def test_unknown_parameter_lists_valid_ones():
    with pytest.raises(RecipeError, match="Valid parameters: max_depth") as info:
        parse_settings("decision_tree", "classification", ["max_dept=3"])
    assert "Did you mean 'max_depth'" in str(info.value)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("max_depth=8", {"max_depth": 8}),
        ("max_depth=none", {"max_depth": None}),
        ("criterion=entropy", {"criterion": "entropy"}),
        ("min_samples_leaf=3", {"min_samples_leaf": 3}),
    ],
)
def test_settings_are_parsed_to_typed_values(setting, expected):
    assert parse_settings("decision_tree", "classification", [setting]) == expected


@pytest.mark.parametrize(
    ("model", "setting", "message"),
    [
        ("decision_tree", "max_depth=0", r"in \[1, 100\] or None. Got 0"),
        ("decision_tree", "max_depth=deep", "Got 'deep'"),
        (
            "logistic_regression",
            "C=-1",
            r"The 'C' parameter of Logistic regression must be a "
            r"float in \[1e-06, 1e\+06\]. Got -1.0",
        ),
        ("decision_tree", "criterion=squared_error", "one of 'gini', 'entropy', 'log_loss'"),
        ("knn", "n_neighbors", "must look like name=value"),
        ("linear_regression", "fit_intercept=maybe", "true or false"),
    ],
)
def test_bad_settings_say_the_valid_range(model, setting, message):
    task = "regression" if model == "linear_regression" else "classification"
    with pytest.raises(RecipeError, match=message):
        parse_settings(model, task, [setting])


def test_knobs_differ_per_task():
    tree = get_model("decision_tree")
    assert tree.knob("criterion", "regression").default == "squared_error"
    assert tree.knob("criterion", "classification").default == "gini"
