"""compare_twin and twin_table: our twins beside scikit-learn on the bundled datasets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import RecipeError, UsageError
from tinkerlab.runner._twin import (
    CASES,
    PARITY,
    _agreement,
    _incompatibility,
    compare_twin,
    count_lines,
    resolve_twin,
    source_files,
    twin_table,
)
from tinkerlab.scratch import TWINS

REPO = Path(__file__).resolve().parents[2]

# The least agreement we accept on each twin's default dataset (measured: 1.0 everywhere
# except LinearSVC, 0.993: subgradient descent stops near, not at, liblinear's optimum).
MIN_AGREEMENT = {"linear_svc": 0.97}
# Closed forms and exact algorithms: outputs equal up to rounding.
ATOL_EXACT = 1e-8


def test_every_twin_has_a_case_and_a_parity_entry() -> None:
    assert list(CASES) == list(TWINS)
    assert list(PARITY) == list(TWINS)


@pytest.mark.parametrize("name", list(TWINS))
def test_the_parity_test_named_exists_and_tests_that_twin(name: str) -> None:
    test_file, _ = PARITY[name]
    text = (REPO / test_file).read_text(encoding="utf-8")
    assert TWINS[name][0].__name__ in text


def test_twin_table_counts_the_non_blank_lines_of_each_file() -> None:
    rows = {row["name"]: row for row in twin_table()}
    assert list(rows) == list(TWINS)
    mlp = rows["mlp_classifier"]
    source = Path(TWINS["mlp_classifier"][0].__module__.replace(".", "/") + ".py")
    text = (REPO / "src" / source).read_text(encoding="utf-8")
    assert mlp["lines"] == sum(1 for line in text.splitlines() if line.strip())
    assert mlp["lines"] < len(text.splitlines())  # blank lines left out
    assert mlp["file"] == "scratch/_mlp.py"
    assert mlp["sklearn"] == "sklearn.neural_network.MLPClassifier"
    assert mlp["parity"].startswith("tested: tests/scratch/test_scratch_mlp.py")
    # The trees are grown by the shared _tree.py, and the table says so.
    assert rows["decision_tree_classifier"]["uses"] == ["scratch/_tree.py"]
    assert rows["ridge"]["uses"] == []


def test_source_files_start_with_the_twins_own_file() -> None:
    files = source_files("random_forest_classifier")
    assert [f.name for f in files] == ["_random_forest.py", "_decision_tree.py"]
    assert count_lines(files[0]) > 50


@pytest.mark.parametrize("name", list(TWINS))
def test_twin_agrees_with_sklearn_on_its_default_dataset(name: str) -> None:
    result = compare_twin(name)
    case = CASES[name]
    assert result.dataset == case.dataset
    assert result.kind == case.kind
    assert result.train_rows > result.test_rows > 0
    assert result.ours.estimator == f"tinkerlab.scratch.{TWINS[name][0].__name__}"
    assert result.theirs.estimator == TWINS[name][1]
    for side in (result.ours, result.theirs):
        assert np.isfinite(side.score)
        assert side.fit_seconds >= 0
        assert side.predict_seconds >= 0
    if case.kind == "transformer":
        assert result.agreement is None
        assert result.max_abs_diff is not None
        assert result.max_abs_diff < ATOL_EXACT
    else:
        assert result.agreement is not None
        assert result.agreement >= MIN_AGREEMENT.get(name, 1.0)
    if case.kind == "regressor":
        assert result.max_abs_diff is not None
        assert result.max_abs_diff < ATOL_EXACT * 1000  # targets in the hundreds
    if result.agreement == 1.0:
        assert result.ours.score == pytest.approx(result.theirs.score, abs=1e-9)


def test_comparison_is_deterministic_for_a_seed_and_changes_with_it() -> None:
    first = compare_twin("mlp_classifier", "iris", seed=3)
    again = compare_twin("mlp_classifier", "iris", seed=3)
    other = compare_twin("mlp_classifier", "iris", seed=4)
    assert (first.ours.score, first.theirs.score) == (again.ours.score, again.theirs.score)
    assert first.params["random_state"] == 3
    assert (other.seed, other.params["random_state"]) == (4, 4)
    assert other.test_rows == first.test_rows


def test_only_numeric_features_are_used_and_incomplete_rows_dropped() -> None:
    result = compare_twin("logistic_regression", "penguins")
    assert result.features == load("penguins").features("numeric")
    assert any("left out" in note for note in result.notes)
    assert any("missing value" in note for note in result.notes)


def test_to_dict_is_json_and_html_names_both_sides() -> None:
    result = compare_twin("pca")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["params"] == {"n_components": 2}
    assert data["metric"] == "variance_kept"
    assert 0 < data["ours"]["score"] < 1
    page = result._repr_html_()
    assert "tinkerlab.scratch.PCA" in page
    assert "sklearn.decomposition.PCA" in page


def test_a_dataset_of_the_wrong_task_is_refused_with_the_ones_that_work() -> None:
    with pytest.raises(RecipeError) as error:
        compare_twin("knn_classifier", "diabetes")
    message = str(error.value)
    assert "regression dataset" in message
    assert "wine" in message
    assert "diabetes" not in message.split("works on:")[1]
    assert isinstance(error.value, UsageError)


def test_count_based_twin_refuses_negative_features() -> None:
    frame = pd.DataFrame({"a": [-1.0, 2.0] * 10, "b": [0.5, 1.0] * 10, "label": ["x", "y"] * 10})
    problem = _incompatibility(CASES["multinomial_nb"], load(frame, target="label"))
    assert problem is not None
    assert "negative" in problem
    assert _incompatibility(CASES["gaussian_nb"], load(frame, target="label")) is None


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("logistic_regression", "logistic_regression"),
        ("LogisticRegression", "logistic_regression"),
        ("Logistic-Regression", "logistic_regression"),
        ("KNeighborsClassifier", "knn_classifier"),
    ],
)
def test_twins_can_be_named_by_table_name_or_class_name(given: str, name: str) -> None:
    assert resolve_twin(given) == name


def test_an_unknown_twin_suggests_the_closest_name() -> None:
    with pytest.raises(RecipeError, match=r"Did you mean 'knn_classifier'\?"):
        resolve_twin("knn_clasifier")


def test_cluster_agreement_ignores_how_clusters_are_numbered() -> None:
    ours, theirs = np.array([0, 0, 1, 1, 2, 2]), np.array([2, 2, 0, 0, 1, 1])
    assert _agreement("clusterer", ours, theirs) == (1.0, None)
    assert _agreement("clusterer", ours, np.array([2, 2, 0, 0, 1, 0]))[0] == pytest.approx(5 / 6)
