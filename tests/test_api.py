"""The Python API: the same verbs as the CLI, for notebooks."""

from __future__ import annotations

import pandas as pd
import pytest

import tinkerlab as tl


def test_run_records_and_the_journal_has_it():
    r = tl.run("iris", model="knn")
    assert r.id == 1
    assert r.plot_paths
    with tl.open_journal() as journal:
        assert journal.get_run(1).metrics["accuracy"]["test"] == pytest.approx(
            r.metrics["accuracy"]["test"]
        )


def test_sub_packages_do_not_shadow_the_verbs():
    import importlib

    runner = importlib.import_module("tinkerlab.runner")
    journal = importlib.import_module("tinkerlab.journal")
    assert callable(tl.run)
    assert callable(tl.open_journal)
    assert runner.execute is not None
    assert journal.Journal is not None


def test_loading_options_with_a_loaded_dataset_are_refused():
    from tinkerlab.exceptions import InputError

    with pytest.raises(InputError, match="target"):
        tl.run(tl.load("iris"), target="sepal length (cm)", record=False)


def test_run_accepts_a_dataframe_and_a_dataset():
    frame = tl.load("iris").frame
    from_frame = tl.run(frame, target="species", model="knn", record=False)
    from_dataset = tl.run(tl.load("iris"), model="knn", record=False)
    assert from_frame.metrics == from_dataset.metrics


def test_recipe_round_trips_and_reruns_to_the_same_numbers():
    first = tl.run("titanic", model="decision_tree", params={"max_depth": 4}, record=False)
    recipe = tl.Recipe.from_toml(first.recipe.to_toml())
    assert recipe == first.recipe
    assert tl.Recipe.from_json(first.recipe.to_json()) == first.recipe
    from tinkerlab.data import Dataset
    from tinkerlab.runner import execute

    again = execute(recipe, tl.load(recipe.dataset))
    assert again.metrics == first.metrics
    assert isinstance(tl.load("titanic"), Dataset)


def test_datasets_lists_the_required_builtins():
    names = {d.name for d in tl.datasets()}
    assert {
        "iris",
        "penguins",
        "titanic",
        "breast_cancer",
        "wine",
        "diabetes",
        "digits",
        "house_prices",
        "credit",
        "churn",
        "diamonds",
        "reviews",
        "faces",
    } <= names


def test_script_is_plain_pandas_and_sklearn():
    import ast

    script = tl.run("iris", model="knn", record=False).script()
    imported = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(str(node.module).split(".")[0])
    assert imported == {"pandas", "sklearn", "warnings"}


def test_predictions_frame():
    r = tl.run("iris", model="knn", record=False)
    assert isinstance(r.predictions, pd.DataFrame)
    assert list(r.predictions.columns) == ["actual", "predicted"]
    assert len(r.predictions) == 30


def test_every_verb_is_exported():
    for name in ("run", "tinker", "load", "datasets", "open_journal", "theory"):
        assert callable(getattr(tl, name)), name
    assert tl.theory("overfitting").id == "overfitting"
    assert tl.Client.__name__ == "Client"
