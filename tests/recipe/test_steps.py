"""New-feature steps: parsing, checks against the columns, and what the pipeline computes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.preprocessing import KBinsDiscretizer, PolynomialFeatures, StandardScaler

import tinkerlab as tl
from tinkerlab.exceptions import RecipeError
from tinkerlab.recipe import (
    DateParts,
    Preprocessing,
    Recipe,
    TextLength,
    build_pipeline,
    make_recipe,
    parse_step,
)


@pytest.mark.parametrize(
    ("text", "kind", "column", "arg"),
    [
        ("log:lot area", "log", "lot area", None),
        ("bins:a=b=7", "bins", "a=b", 7),
        ("bins:age", "bins", "age", 5),
        ("poly:3", "poly", None, 3),
        ("poly", "poly", None, 2),
        ("inter", "inter", None, None),
        ("date:sold on", "date", "sold on", None),
        (" LEN:review ", "len", "review", None),
    ],
)
def test_steps_parse(text, kind, column, arg):
    step = parse_step(text)
    assert (step.kind, step.column, step.arg) == (kind, column, arg)
    assert parse_step(step.label) == step  # the label reads back the same


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("lgo:x", "Did you mean 'log'"),
        ("bins:x=1", "in [2, 50]"),
        ("poly:9", "in [2, 3]"),
        ("log:", "needs a column"),
        ("inter:x", "takes nothing after it"),
    ],
)
def test_bad_steps_say_what_and_the_fix(text, said):
    with pytest.raises(RecipeError, match=r"Fix|Kinds") as error:
        parse_step(text)
    assert said in str(error.value)


def test_steps_are_checked_against_the_columns_roles():
    titanic = tl.load("titanic")
    with pytest.raises(RecipeError, match="'log:sex' needs a numeric column"):
        make_recipe(titanic, add=["log:sex"])
    with pytest.raises(RecipeError, match="Did you mean 'age'"):
        make_recipe(titanic, add=["log:Age"])
    with pytest.raises(RecipeError, match="given twice"):
        make_recipe(titanic, add=["log:age", "log:age"])
    recipe = make_recipe(titanic, add=["sqrt:age", "len:sex"])
    assert recipe.preprocessing.add == ("sqrt:age", "len:sex")


def test_a_recipe_with_steps_round_trips_json_and_toml():
    recipe = make_recipe(
        tl.load("diabetes"), model="ridge", add=["log:bmi", "bins:age=4", "poly:2"]
    )
    assert Recipe.from_json(recipe.to_json()) == recipe
    assert Recipe.from_toml(recipe.to_toml()) == recipe
    assert Preprocessing().add == ()  # an older recipe without steps reads as before


def test_log_and_bins_compute_what_numpy_and_sklearn_compute():
    data = tl.load("diabetes")
    X = data.frame[["bmi", "age"]]
    recipe = make_recipe(data, model="ridge", add=["log:bmi", "bins:age=4"])
    preprocess = build_pipeline(recipe).named_steps["preprocess"].fit(data.X, data.y)
    names = list(preprocess.get_feature_names_out())
    out = preprocess.transform(data.X)
    out = out.toarray() if hasattr(out, "toarray") else out
    log_col = out[:, names.index("log_bmi__bmi")]
    expected = StandardScaler().fit_transform(np.log1p(X[["bmi"]]))[:, 0]
    np.testing.assert_allclose(log_col, expected, rtol=1e-12)
    bins = [i for i, n in enumerate(names) if n.startswith("bins_age__")]
    expected_bins = KBinsDiscretizer(n_bins=4, encode="onehot-dense", random_state=0).fit_transform(
        X[["age"]]
    )
    np.testing.assert_array_equal(out[:, bins], expected_bins)


def test_poly_extends_the_scaled_numbers():
    data = tl.load("iris")
    recipe = make_recipe(data, model="logistic_regression", add=["poly:2"])
    numeric = (
        build_pipeline(recipe).named_steps["preprocess"].fit(data.X).named_transformers_["numeric"]
    )
    assert [name for name, _ in numeric.steps] == ["impute", "scale", "poly"]
    assert (
        numeric.transform(data.X).shape[1]
        == PolynomialFeatures(2, include_bias=False).fit(data.X).n_output_features_
    )


def test_date_parts_and_text_length_match_pandas():
    dates = pd.DataFrame({"d": ["2024-02-29", "1999-12-31", "not a date", None]})
    parts = DateParts().fit_transform(dates)
    when = pd.to_datetime(dates["d"], errors="coerce")
    expected = np.column_stack([when.dt.year, when.dt.month, when.dt.day, when.dt.day_of_week])
    np.testing.assert_array_equal(parts, expected.astype(float))
    texts = pd.DataFrame({"t": ["a b  c", "", None, "élan"]})
    np.testing.assert_array_equal(
        TextLength().fit_transform(texts), [[6, 3], [0, 0], [0, 0], [4, 1]]
    )
    assert clone(DateParts()).get_params() == {}  # scikit-learn can clone them
    assert list(TextLength().get_feature_names_out(["t"])) == ["t_chars", "t_words"]


def test_data_that_does_not_suit_a_step_fails_before_any_fit(tmp_path):
    frame = pd.DataFrame({"x": [-3.0, 1.0, 2.0, 5.0] * 20, "y": [0, 1] * 40})
    with pytest.raises(RecipeError, match=r"goes down to -3.*bins:x=5"):
        tl.run(frame, target="y", add=["log:x"], record=False)
