"""The add_feature knob: none against the recipe with a new feature, dates included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment import plan_sweep
from tinkerlab.recipe import make_recipe


def _dated(n: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    when = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    y = (when.month >= 7).astype(int)  # the month decides the target
    return pd.DataFrame(
        {"sold on": when.strftime("%Y-%m-%d"), "size": rng.normal(50, 10, n), "y": y}
    )


def test_each_value_adds_its_step_and_none_is_the_reference():
    recipe = make_recipe(tl.load("diabetes"), model="ridge")
    sweep = plan_sweep(recipe, "add_feature", ["none", "log:bmi", "bins:age=4"])
    assert sweep.labels == ["none", "log:bmi", "bins:age=4"]
    assert sweep.reference == 0
    assert sweep.points[0].recipe == recipe
    assert sweep.points[2].recipe.preprocessing.add == ("bins:age=4",)
    assert not sweep.ordered


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (None, "needs the features to try"),
        (["none", "log:sex"], "'log:sex' needs a numeric column"),
        (["none", "cube:bmi"], "Unknown new-feature step"),
    ],
)
def test_bad_values_fail_before_anything_runs(values, said):
    recipe = make_recipe(tl.load("titanic"))
    with pytest.raises(RecipeError, match=said):
        plan_sweep(recipe, "add_feature", values)


def test_date_parts_help_where_the_month_decides():
    ex = tl.tinker(
        _dated(),
        "add_feature",
        ["none", "date:sold on"],
        target="y",
        model="decision_tree",
        repeats=1,
        record=False,
    )
    scores = dict(zip(ex.frame["label"], ex.frame["cv_mean"], strict=True))
    assert scores["date:sold on"] > scores["none"] + 0.2


def test_a_run_with_new_features_saves_and_loads_with_the_default_trust(tmp_path):
    from tinkerlab.serve import load_artifact, save_artifact

    data = tl.load(_dated(), target="y")
    run = tl.run(data, model="decision_tree", add=["date:sold on", "log:size"], record=False)
    save_artifact(run, tmp_path / "model", data=data.frame)
    artifact = load_artifact(tmp_path / "model")
    rows = data.frame.drop(columns="y").head(5)
    predicted = [p["prediction"] for p in artifact.predict(rows)]
    assert predicted == list(run.pipeline.predict(rows))
    assert "sold on" in artifact.schema.names
