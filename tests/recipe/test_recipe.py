"""The Recipe: frozen, validated, and serialised without losing anything."""

from __future__ import annotations

import pandas as pd
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import RecipeError
from tinkerlab.recipe import Recipe, make_recipe


@pytest.fixture(scope="module")
def awkward():
    """Column names that trip naive serialisers: 'none', an emoji, quotes, a backslash."""
    frame = pd.DataFrame(
        {
            "none": [1.0, 2.0, 3.0, 4.0] * 10,
            "x😀": [0.5, 0.1, 0.3, 0.2] * 10,
            'say "hi"': ["a", "b", "a", "b"] * 10,
            "back\\slash": [1, 2, 3, 5] * 10,
            "y": ["p", "q", "p", "q"] * 10,
        }
    )
    return load(frame, target="y")


def test_toml_and_json_round_trip_awkward_names(awkward):
    recipe = make_recipe(awkward, model="decision_tree", params={"max_depth": None})
    assert Recipe.from_toml(recipe.to_toml()) == recipe
    assert Recipe.from_json(recipe.to_json()) == recipe
    assert "none" in Recipe.from_toml(recipe.to_toml()).numeric


def test_none_knob_value_survives_toml():
    recipe = make_recipe(load("iris"), model="gradient_boosting", params={"max_leaf_nodes": None})
    assert Recipe.from_toml(recipe.to_toml()).params == {"max_leaf_nodes": None}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seed": -1}, r"seed must be an int in the range \[0, 4294967295\]\. Got -1"),
        ({"seed": 2**32}, r"seed must be an int .* Fix: seed=0"),
        ({"cv_folds": 1}, r"cv_folds must be an int in the range \[2, 50\]\. Got 1 .* cv_folds=5"),
        ({"cv_folds": 3.0}, r"cv_folds must be an int .* Got 3\.0"),
        ({"test_size": 0.9}, r"test_size must be a float in the range \[0\.05, 0\.5\]\. Got 0\.9"),
        ({"impl": "torch"}, "'sklearn' or 'scratch'"),
        ({"model": "svm", "impl": "scratch"}, "no from-scratch twin"),
        ({"params": {"n_estimators": 0}}, "n_estimators"),
    ],
)
def test_invalid_recipes_are_refused(change, message):
    recipe = make_recipe(load("iris"))
    with pytest.raises(RecipeError, match=message):
        recipe.with_changes(**change)


def test_newer_format_is_refused_with_the_fix():
    data = make_recipe(load("iris")).to_dict()
    data["format"] = 99
    with pytest.raises(RecipeError, match="pip install --upgrade tinkerlab"):
        Recipe.from_dict(data)


def test_model_params_spell_out_defaults_and_seed():
    params = make_recipe(load("iris"), model="random_forest", seed=7).model_params()
    assert params["n_estimators"] == 100
    assert params["random_state"] == 7
